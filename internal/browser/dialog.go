package browser

import (
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

type pageJavascriptDialogOpening = page.EventJavascriptDialogOpening

func handleDialog() chromedp.Action { return page.HandleJavaScriptDialog(false) }
