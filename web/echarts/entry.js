/*
 * Teamshape's ECharts build: only the chart types and components the pages draw.
 *
 * The options come from internal/chart (go-echarts types, post-processed); what they use
 * is listed here, and internal/chart's TestBundleHasWhatOptionsUse fails when an option
 * needs something this file does not import (or this file imports what none uses).
 * Rebuild with scripts/build-echarts.sh after changing it.
 *
 * web/static/js/charts.js needs only window.echarts.init and getInstanceByDom (and the
 * instance's setOption, resize, getDataURL, isDisposed).
 */
import { use, init, getInstanceByDom, version } from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, LinesChart, RadarChart } from 'echarts/charts';
import {
  AriaComponent,
  AxisPointerComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  RadarComponent,
  TooltipComponent,
  VisualMapPiecewiseComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([
  BarChart,
  HeatmapChart,
  LineChart,
  LinesChart,
  RadarChart,
  AriaComponent,
  AxisPointerComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  RadarComponent,
  TooltipComponent,
  VisualMapPiecewiseComponent,
  CanvasRenderer,
]);

window.echarts = { init: init, getInstanceByDom: getInstanceByDom, version: version };
