package compress

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"sync"
)

// Deflated is a text compressed once into raw DEFLATE blocks (RFC 1951) that are not final
// and end on a byte boundary (a sync flush): such blocks may stand anywhere inside a DEFLATE
// stream, because they refer back only to their own text. WriteGzip wraps them, between a
// head and a tail compressed per call, into one gzip stream (RFC 1952): one member, one
// DEFLATE stream, which every gzip decoder reads. The text itself is not kept: the gzip
// trailer's CRC-32 is combined from the text's (crc32Combine).
type Deflated struct {
	blocks []byte
	crc    uint32
	size   int
}

// Deflate compresses text for WriteGzip.
func Deflate(text string) (Deflated, error) {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, deflateLevel)
	if err != nil {
		return Deflated{}, err
	}
	if _, err := w.Write([]byte(text)); err != nil {
		return Deflated{}, err
	}
	// Flush, not Close: the blocks end on a byte boundary and none is marked final.
	if err := w.Flush(); err != nil {
		return Deflated{}, err
	}
	return Deflated{blocks: buf.Bytes(), crc: crc32.ChecksumIEEE([]byte(text)), size: len(text)}, nil
}

// Len is the size of the compressed blocks (0 for the zero Deflated).
func (d Deflated) Len() int { return len(d.blocks) }

// deflateLevel is the level cached content is deflated at: the default, about 2 ms for a
// 115 kB dashboard, paid once per view and data version.
const deflateLevel = flate.DefaultCompression

// gzipHeader starts a gzip member: magic, DEFLATE, no flags, no time, no extra flags, OS
// unknown (as compress/gzip writes it).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// fastWriters are DEFLATE writers for the per-request head and tail (a few kB): the fastest
// level, reused (a writer holds a few hundred kB of tables).
var fastWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // a valid level never fails
	return w
}}

// WriteGzip writes to w a gzip stream of head, then d's text, then tail. Only head and tail
// are compressed here (d's blocks are copied); a zero Deflated stands for no text.
func (d Deflated) WriteGzip(w io.Writer, head, tail []byte) error {
	// Errors are cw's to keep: the flate writer fails only when cw does.
	cw := &stickyWriter{w: w}
	fw := fastWriters.Get().(*flate.Writer)
	defer fastWriters.Put(fw)
	_, _ = cw.Write(gzipHeader)
	fw.Reset(cw)
	_, _ = fw.Write(head)
	_ = fw.Flush()
	_, _ = cw.Write(d.blocks)
	fw.Reset(cw)
	_, _ = fw.Write(tail)
	_ = fw.Close()

	crc := crc32.ChecksumIEEE(head)
	crc = crc32Combine(crc, d.crc, d.size)
	crc = crc32Combine(crc, crc32.ChecksumIEEE(tail), len(tail))
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc)
	binary.LittleEndian.PutUint32(trailer[4:], uint32(len(head)+d.size+len(tail))) // ISIZE: the size mod 2^32
	_, _ = cw.Write(trailer[:])
	return cw.err
}

// stickyWriter keeps the first error of w and refuses later writes, so one check at the end
// covers every write.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (c *stickyWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.err = err
	return n, err
}

// crc32Combine returns the CRC-32 (IEEE) of A followed by B from crcA, crcB and B's length:
// crcA multiplied by x^(8·lenB) modulo the polynomial, plus crcB (zlib's crc32_combine).
func crc32Combine(crcA, crcB uint32, lenB int) uint32 {
	return multModP(x2nModP(uint64(lenB), 3), crcA) ^ crcB
}

// crcPoly is the IEEE polynomial, bit-reversed (crc32.IEEE).
const crcPoly = crc32.IEEE

// multModP multiplies a and b modulo the polynomial (bit-reflected, as CRC-32 keeps them).
func multModP(a, b uint32) uint32 {
	var p uint32
	for m := uint32(1) << 31; m != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				break
			}
		}
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// x2nTable[k] is x^(2^k) modulo the polynomial.
var x2nTable = func() (t [32]uint32) {
	p := uint32(1) << 30 // x^1
	for k := range t {
		t[k] = p
		p = multModP(p, p)
	}
	return t
}()

// x2nModP returns x^(n·2^k) modulo the polynomial.
func x2nModP(n uint64, k uint) uint32 {
	p := uint32(1) << 31 // x^0
	for ; n != 0; n >>= 1 {
		if n&1 != 0 {
			p = multModP(x2nTable[k&31], p)
		}
		k++
	}
	return p
}
