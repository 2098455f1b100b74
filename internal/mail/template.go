package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
	texttemplate "text/template"
)

// Templates are the e-mails a feature sends, parsed once at boot from the *.tmpl files of
// a directory. Each file is one e-mail and defines three templates:
//
//	{{define "subject"}}{{.Inviter}} invited you to Teamshape{{end}}
//	{{define "text"}}Accept: {{url "/invitations/accept" "token" .Token}}{{end}}
//	{{define "html"}}<p>{{.Inviter}} invited you. <a href="{{url "/invitations/accept" "token" .Token}}">Accept</a></p>{{end}}
//
// "subject" and "text" are executed by text/template (plain text: user strings stay as
// typed); "html" (optional) by html/template, so every value is escaped for where it
// stands, and the result is wrapped in a small HTML document. Files whose name starts
// with "_" are partials: their templates are available to every e-mail.
//
// The function url joins a path to the base URL (TEAMSHAPE_BASE_URL) and appends the
// key/value pairs that follow it as an escaped query: {{url "/p" "token" .Token}}.
type Templates struct {
	baseURL string
	mails   map[string]*mailTemplate
}

type mailTemplate struct {
	text *texttemplate.Template // "subject" and "text"
	html *htmltemplate.Template // "html", if the file defines it
}

// ParseTemplates parses every *.tmpl file in dir of fsys. An e-mail's name is its file
// name without .tmpl. Links are made absolute with baseURL (http or https, no trailing
// slash needed).
func ParseTemplates(fsys fs.FS, dir, baseURL string) (*Templates, error) {
	base, err := url.Parse(baseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("mail templates: base URL %q is not an absolute http(s) URL", baseURL)
	}
	files, err := fs.Glob(fsys, path.Join(dir, "*.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	sort.Strings(files)
	var partials, mails []string
	for _, f := range files {
		if strings.HasPrefix(path.Base(f), "_") {
			partials = append(partials, f)
		} else {
			mails = append(mails, f)
		}
	}
	t := &Templates{baseURL: strings.TrimRight(baseURL, "/"), mails: map[string]*mailTemplate{}}
	for _, f := range mails {
		name := strings.TrimSuffix(path.Base(f), ".tmpl")
		mt, err := t.parse(fsys, append(append([]string(nil), partials...), f))
		if err != nil {
			return nil, fmt.Errorf("mail template %s: %w", f, err)
		}
		t.mails[name] = mt
	}
	return t, nil
}

func (t *Templates) parse(fsys fs.FS, files []string) (*mailTemplate, error) {
	tt := texttemplate.New("").Option("missingkey=error").Funcs(texttemplate.FuncMap{"url": t.URL})
	ht := htmltemplate.New("").Option("missingkey=error").Funcs(htmltemplate.FuncMap{"url": t.URL})
	for _, f := range files {
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		if _, err := tt.New(f).Parse(string(src)); err != nil {
			return nil, err
		}
		if _, err := ht.New(f).Parse(string(src)); err != nil {
			return nil, err
		}
	}
	for _, name := range []string{"subject", "text"} {
		if tt.Lookup(name) == nil {
			return nil, fmt.Errorf("no {{define %q}}", name)
		}
	}
	mt := &mailTemplate{text: tt}
	if ht.Lookup("html") != nil {
		mt.html = ht
	}
	return mt, nil
}

// URL is the absolute link to path on the base URL, with the query pairs key, value, …
// escaped (the templates' url function).
func (t *Templates) URL(p string, pairs ...string) (string, error) {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "", fmt.Errorf("url %q: want a path starting with one /", p)
	}
	if len(pairs)%2 != 0 {
		return "", fmt.Errorf("url %q: query keys and values come in pairs", p)
	}
	u := t.baseURL + (&url.URL{Path: p}).EscapedPath()
	if len(pairs) > 0 {
		q := url.Values{}
		for i := 0; i < len(pairs); i += 2 {
			q.Add(pairs[i], pairs[i+1])
		}
		u += "?" + q.Encode()
	}
	return u, nil
}

// Names lists the e-mails, sorted.
func (t *Templates) Names() []string {
	out := make([]string, 0, len(t.mails))
	for n := range t.mails {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Render executes e-mail name with data into a message to the address to (see Address):
// the subject on one line, the plain text as typed, the HTML escaped.
func (t *Templates) Render(name, to string, data any) (Message, error) {
	mt := t.mails[name]
	if mt == nil {
		return Message{}, fmt.Errorf("mail template %q does not exist", name)
	}
	var subject, text, body bytes.Buffer
	if err := mt.text.ExecuteTemplate(&subject, "subject", data); err != nil {
		return Message{}, fmt.Errorf("mail template %s: %w", name, err)
	}
	if err := mt.text.ExecuteTemplate(&text, "text", data); err != nil {
		return Message{}, fmt.Errorf("mail template %s: %w", name, err)
	}
	m := Message{
		To: to,
		// One line, whatever a name in it held (a header cannot break lines).
		Subject: strings.Join(strings.Fields(subject.String()), " "),
		Text:    strings.TrimSpace(text.String()) + "\n",
	}
	if mt.html != nil {
		if err := mt.html.ExecuteTemplate(&body, "html", data); err != nil {
			return Message{}, fmt.Errorf("mail template %s: %w", name, err)
		}
		// The body is html/template's output, escaped already: trusted as it stands.
		var doc bytes.Buffer
		if err := htmlDocument.Execute(&doc, struct {
			Subject string
			Body    htmltemplate.HTML
		}{m.Subject, htmltemplate.HTML(body.String())}); err != nil {
			return Message{}, fmt.Errorf("mail template %s: %w", name, err)
		}
		m.HTML = doc.String()
	}
	if err := m.Validate(); err != nil {
		return Message{}, fmt.Errorf("mail template %s: %w", name, err)
	}
	return m, nil
}

// htmlDocument wraps every HTML body: simple, inline-styled (mail clients ignore style
// sheets), readable without images.
var htmlDocument = htmltemplate.Must(htmltemplate.New("document").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:24px;background:#f6f7f9;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2328">
<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px">
{{.Body}}
</div>
<p style="max-width:560px;margin:12px auto 0;font-size:12px;color:#656d76">Sent by Teamshape.</p>
</body>
</html>
`))
