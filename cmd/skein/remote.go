package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/formats"
)

// remote sends a subcommand's work through a running server's HTTP API
// (--server), for when the server holds the data directory.
type remote struct {
	URL   string
	Token string
}

func (r *remote) bind(fs *flag.FlagSet) {
	fs.StringVar(&r.URL, "server", os.Getenv("SKEIN_SERVER"), "send the work through the running server at this URL, e.g. http://127.0.0.1:8080 (SKEIN_SERVER)")
	fs.StringVar(&r.Token, "token", os.Getenv("SKEIN_TOKEN"), "bearer token for --server (SKEIN_TOKEN)")
}

func (r *remote) enabled() bool { return r.URL != "" }

// do sends a request and returns the response when it is 2xx; otherwise
// the server's error (its code and message).
func (r *remote) do(ctx context.Context, method, path string, body io.Reader, contentType string) (*http.Response, error) {
	base, err := url.Parse(strings.TrimSuffix(r.URL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("--server %q: want a URL such as http://127.0.0.1:8080: %w", r.URL, graph.ErrInvalid)
	}
	req, err := http.NewRequestWithContext(ctx, method, base.String()+path, body)
	if err != nil {
		return nil, err
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("server %s: %w", r.URL, err)
	}
	if res.StatusCode/100 == 2 {
		return res, nil
	}
	defer res.Body.Close()
	var e struct {
		Error string `json:"error"`
		Code  string `json:"code"`
		Rows  []struct {
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"rows"`
	}
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if json.Unmarshal(b, &e) != nil || e.Error == "" {
		return nil, fmt.Errorf("server %s answered %s", r.URL, res.Status)
	}
	msg := fmt.Sprintf("server %s answered %s (%s): %s", r.URL, res.Status, e.Code, e.Error)
	if res.StatusCode == http.StatusUnauthorized && r.Token == "" {
		msg += "; pass --token (or SKEIN_TOKEN)"
	}
	return nil, errors.New(msg)
}

// importVia posts one file to /api/import.
func (r *remote) importVia(ctx context.Context, f formats.Format, body io.Reader) (formats.Report, error) {
	res, err := r.do(ctx, http.MethodPost, "/api/import?format="+url.QueryEscape(string(f)), body, "application/octet-stream")
	if err != nil {
		return formats.Report{}, err
	}
	defer res.Body.Close()
	var rep formats.Report
	if err := json.NewDecoder(res.Body).Decode(&rep); err != nil {
		return rep, fmt.Errorf("server %s: import report: %w", r.URL, err)
	}
	return rep, nil
}

// exportVia downloads /api/export/{format} with the query parameters params
// (those empty left out) into w.
func (r *remote) exportVia(ctx context.Context, f formats.Format, params map[string]string, w io.Writer) error {
	q := url.Values{}
	for k, v := range params {
		if v != "" {
			q.Set(k, v)
		}
	}
	res, err := r.do(ctx, http.MethodGet, "/api/export/"+url.PathEscape(string(f))+"?"+q.Encode(), nil, "")
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(w, res.Body); err != nil {
		return fmt.Errorf("server %s: export: %w", r.URL, err)
	}
	return nil
}
