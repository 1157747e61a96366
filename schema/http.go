package schema

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"

	"github.com/skein-project/skein/graph"
)

// Media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpRequest is the body of a POST, or the parameters of a GET.
type httpRequest struct {
	Query         string
	OperationName string
	Variables     map[string]any
	Extensions    map[string]any
	// rawVariables is the variables as sent, for the audit.
	rawVariables json.RawMessage
}

// wireRequest is the JSON of a POST body.
type wireRequest struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    map[string]any  `json:"extensions"`
}

// Completed is what the schema knows of a GraphQL request once it has
// been answered, refused ones included: Options.OnResponse receives it.
type Completed struct {
	Operation   string
	Query       string
	Variables   json.RawMessage // as sent; nil when none
	Status      int
	Codes       []string // the distinct error codes of the response, in order
	ResultBytes int
}

// ServeHTTP serves GraphQL over HTTP: POST with a JSON body
// {query, variables, operationName}, or GET with those as URL parameters for
// queries only (a mutation over GET is refused with 405). The response is
// application/graphql-response+json when the client accepts it, else
// application/json; GraphQL errors are in the body with extensions.code.
// The request is decoded once; Options.OnResponse sees every request,
// refused or not, before its response is written.
func (s *Schema) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	media := responseMedia(r.Header.Get("Accept"))
	req, status, err := s.decode(w, r)
	if err != nil {
		s.respond(w, r, media, status, req, errorResponse(err))
		return
	}
	// A well-formed request that fails validation: 200 for legacy
	// application/json clients, 400 for the GraphQL media type.
	refusedStatus := http.StatusOK
	if media == mediaGraphQLResponse {
		refusedStatus = http.StatusBadRequest
	}
	if len(req.Query) > s.opts.MaxQueryBytes {
		s.respond(w, r, media, refusedStatus, req, errorResponse(newError(CodeTooComplex,
			fmt.Sprintf("query text is %d bytes, more than the limit of %d", len(req.Query), s.opts.MaxQueryBytes))))
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
	defer cancel()
	resp, doc := s.admit(ctx, req)
	if resp != nil {
		codeErrors(resp, false)
		s.logRequest(ctx, req, resp, time.Since(start))
		s.respond(w, r, media, refusedStatus, req, resp)
		return
	}
	// Admitted: wait for an execution slot (exec_slots.go) within the
	// request's deadline.
	release, waitErr := s.exec.Acquire(ctx)
	if waitErr != nil {
		resp := errorResponse(waitError(waitErr, s.exec.Cap()))
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = graph.StatusOfCode(CodeTimeout)
		}
		s.logRequest(ctx, req, resp, time.Since(start))
		s.respond(w, r, media, status, req, resp)
		return
	}
	defer release()
	ctx, state := withRequest(ctx, r.Method)
	state.leaveExecution = release
	state.sent = Completed{Operation: req.OperationName, Query: req.Query, Variables: req.rawVariables}
	// A spent budget cancels the request's own context: no further
	// resolver runs, and the flag tells that from a timeout.
	state.budget = &budget{limit: s.opts.MaxResponseBytes, cancel: cancel}
	resp, fast := s.fastExec(ctx, req, doc)
	var fastData []byte
	if fast {
		fastData = resp.Data
	} else {
		resp = s.gql.Exec(ctx, req.Query, req.OperationName, req.Variables)
	}
	release() // encoding and the audit record wait on nobody
	if state.budget.exceeded.Load() {
		// Whatever was built is dropped: a partial response would look
		// complete to a client that does not read errors.
		e := newError(CodeTooComplex, fmt.Sprintf(
			"the response grew past the limit of %d bytes and was stopped: select fewer fields, or fewer items with first, limit or top",
			s.opts.MaxResponseBytes))
		resp = &graphql.Response{Data: json.RawMessage("null"), Errors: []*gqlerrors.QueryError{{Message: e.Message, Extensions: e.Extensions()}}}
	}
	timedOut := ctx.Err() != nil && !state.budget.exceeded.Load()
	if timedOut && resp.Data == nil {
		// Execution had started: per the spec data is present, and null.
		resp.Data = json.RawMessage("null")
	}
	codeErrors(resp, timedOut)

	status = http.StatusOK
	switch {
	case state.writeRefused.Load():
		w.Header().Set("Allow", http.MethodPost)
		status = http.StatusMethodNotAllowed
	case resp.Data == nil && media == mediaGraphQLResponse:
		// The request failed before execution (syntax, validation).
		status = http.StatusBadRequest
	}
	s.logRequest(ctx, req, resp, time.Since(start))
	s.respond(w, r, media, status, req, resp)
	if fast {
		s.putBuffer(fastData) // written: nobody holds it now
	}
}

// respond encodes the response, lets Options.OnResponse record it, and
// writes it; when the record cannot be kept the client gets 503
// AUDIT_UNAVAILABLE instead of the result.
func (s *Schema) respond(w http.ResponseWriter, r *http.Request, media string, status int, req httpRequest, resp *graphql.Response) {
	body := encodeResponse(resp)
	if s.opts.OnResponse != nil {
		done := Completed{
			Operation: req.OperationName, Query: req.Query, Variables: req.rawVariables,
			Status: status, Codes: responseCodes(resp), ResultBytes: body.size(),
		}
		if err := s.opts.OnResponse(r.Context(), done); err != nil {
			s.log.ErrorContext(r.Context(), "graphql: response not recorded, refused", "err", err)
			status = http.StatusServiceUnavailable
			body = encodeResponse(errorResponse(newError(CodeAuditUnavailable, graph.PublicMessage(graph.ErrNotAudited))))
		}
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	for _, part := range body {
		if _, err := w.Write(part); err != nil {
			return // the client is gone
		}
	}
}

// responseCodes lists the distinct extensions.code of the errors.
func responseCodes(resp *graphql.Response) []string {
	var codes []string
	for _, e := range resp.Errors {
		if c, _ := e.Extensions["code"].(string); c != "" && !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	return codes
}

func errorResponse(err *Error) *graphql.Response {
	return &graphql.Response{Errors: []*gqlerrors.QueryError{{Message: err.Message, Extensions: err.Extensions()}}}
}

// checkComplexity measures the query before it runs: a response refusing
// it (TOO_COMPLEX, or graphql-go's own errors when the query does not
// parse), or nil to run it. A query whose cost cannot be estimated is not run: if
// graphql-go finds it valid although it could not be measured, it is
// refused.
func (s *Schema) checkComplexity(ctx context.Context, req httpRequest) *graphql.Response {
	resp, _ := s.admit(ctx, req)
	return resp
}

// admit is checkComplexity, also returning the document of an admitted
// query for the fast executor (nil when this parser could not read it or
// could not measure it, which graphql-go then handles alone).
func (s *Schema) admit(ctx context.Context, req httpRequest) (*graphql.Response, *qDocument) {
	refuse := func(msg string) *graphql.Response {
		e := newError(CodeTooComplex, msg)
		return &graphql.Response{Errors: []*gqlerrors.QueryError{{Message: e.Message, Extensions: e.Extensions()}}}
	}
	doc, err := s.docs.parse(req.Query)
	if errors.Is(err, errQuerySize) {
		// Refused before graphql-go sees it: its validation time grows
		// with the square of repeated fields.
		return refuse("the query is too large: " + err.Error()), nil
	}
	var m measure
	if err == nil {
		m, err = s.costs.measureQuery(doc, req.OperationName, req.Variables, nil)
	}
	// Measure again with the degrees of the entities it names: always when
	// it lists their links, and for a neighbourhood only when its limit
	// alone would refuse it (the common case costs no store call).
	if err == nil && (m.rootLinks || m.rootNeighborhood && m.cost > s.opts.MaxCost) && m.aliases <= int64(s.opts.MaxAliases) {
		m, err = s.costs.measureQuery(doc, req.OperationName, req.Variables, func(ids []string) (map[string]int, error) {
			if len(ids) > graph.MaxIDsPerQuery || s.store == nil {
				return nil, nil // refused by the resolver, or no store to ask
			}
			d, err := s.store.Degrees(ctx, ids, graph.When{}) // every link: a bound for any time
			if err != nil {
				return nil, fmt.Errorf("%w: %w", errMeasureStore, err)
			}
			return d, nil
		})
	}
	if err != nil {
		if errors.Is(err, errMeasureStore) {
			e := fail(ctx, s.log, err).(*Error)
			return &graphql.Response{Errors: []*gqlerrors.QueryError{{Message: e.Message, Extensions: e.Extensions()}}}, nil
		}
		if errs := s.gql.ValidateWithVariables(req.Query, req.Variables); len(errs) > 0 {
			return &graphql.Response{Errors: errs}, nil
		}
		if errors.Is(err, errNoOperation) {
			return nil, nil // graphql-go reports the missing operation
		}
		return refuse("the cost of the query could not be estimated: " + err.Error()), nil
	}
	if m.aliases > int64(s.opts.MaxAliases) {
		return refuse(fmt.Sprintf("the query has %d aliased fields, more than the limit of %d", m.aliases, s.opts.MaxAliases)), nil
	}
	if m.cost > s.opts.MaxCost {
		return refuse(fmt.Sprintf("the query's estimated cost is %d, more than the limit of %d (lists cost their first/limit/top, or %d, per item)", m.cost, s.opts.MaxCost, DefaultListSize)), nil
	}
	return nil, doc
}

// errMeasureStore: the store failed while a query was measured.
var errMeasureStore = errors.New("measuring the query")

// decode reads the request once; on failure it returns the HTTP status to
// answer. Bytes after the JSON body are refused: what runs is exactly what
// was recorded.
func (s *Schema) decode(w http.ResponseWriter, r *http.Request) (httpRequest, int, *Error) {
	var req httpRequest
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		req.Query = q.Get("query")
		req.OperationName = q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			req.rawVariables = json.RawMessage(v)
			var err error
			if req.Variables, err = decodeVariables(req.rawVariables); err != nil {
				return req, http.StatusBadRequest, newError(CodeBadUserInput, "variables is not a JSON object: "+err.Error())
			}
		}
	case http.MethodPost:
		ct := r.Header.Get("Content-Type")
		if ct != mediaJSON { // what clients send, without parameters
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || mt != mediaJSON {
				return req, http.StatusUnsupportedMediaType, newError(CodeBadUserInput,
					fmt.Sprintf("content type %q is not supported: send %s", ct, mediaJSON))
			}
		}
		tooBig := func(err error) bool {
			var mb *http.MaxBytesError
			return errors.As(err, &mb)
		}
		refuseBig := func() *Error {
			return newError(CodeTooComplex, fmt.Sprintf("request body larger than %d bytes", s.opts.MaxBodyBytes))
		}
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
		var wire wireRequest
		if err := dec.Decode(&wire); err != nil {
			if tooBig(err) {
				return req, http.StatusRequestEntityTooLarge, refuseBig()
			}
			return req, http.StatusBadRequest, newError(CodeBadUserInput, "request body is not a GraphQL JSON request: "+err.Error())
		}
		req = httpRequest{Query: wire.Query, OperationName: wire.OperationName, Extensions: wire.Extensions}
		if len(wire.Variables) > 0 && string(wire.Variables) != "null" {
			req.rawVariables = wire.Variables
		}
		if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
			if tooBig(err) {
				return req, http.StatusRequestEntityTooLarge, refuseBig()
			}
			return req, http.StatusBadRequest, newError(CodeBadUserInput, "request body has data after its JSON object")
		}
		if req.rawVariables != nil {
			var err error
			if req.Variables, err = decodeVariables(req.rawVariables); err != nil {
				return req, http.StatusBadRequest, newError(CodeBadUserInput, "variables is not a JSON object: "+err.Error())
			}
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		return req, http.StatusMethodNotAllowed, newError(CodeMethodNotAllowed, "use GET or POST")
	}
	if strings.TrimSpace(req.Query) == "" {
		return req, http.StatusBadRequest, newError(CodeBadUserInput, "missing query")
	}
	return req, 0, nil
}

// decodeVariables is the variables' JSON as json.Unmarshal into a map
// gives it. Decoding into an interface builds the map without reflection
// (a third faster for a few variables); anything but an object is decoded
// into a map as before, for its error or its nil.
func decodeVariables(raw []byte) (map[string]any, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err == nil {
		if m, ok := v.(map[string]any); ok {
			return m, nil
		}
	}
	var m map[string]any
	err := json.Unmarshal(raw, &m)
	return m, err
}

// codeErrors gives every error an extensions.code: resolver errors carry
// theirs; graphql-go's own (syntax, validation, limits, cancellation) get
// one here.
func codeErrors(resp *graphql.Response, timedOut bool) {
	for _, e := range resp.Errors {
		if _, ok := e.Extensions["code"]; ok {
			continue
		}
		code := CodeBadUserInput
		switch {
		case timedOut:
			code = CodeTimeout
		case e.Rule == "MaxDepthExceeded":
			code = CodeTooComplex
		case errors.Is(e, gqlerrors.ErrSyntax):
			code = CodeParseFailed
		case e.Rule == "VariablesOfCorrectType" || e.Rule == "ValuesOfCorrectTypeRule":
			code = CodeBadUserInput
		case e.Rule != "":
			code = CodeValidationFailed
		case resp.Data != nil:
			code = CodeInternal // an execution error no resolver coded
		}
		if e.Extensions == nil {
			e.Extensions = map[string]any{}
		}
		e.Extensions["code"] = code
	}
}

// responseBody is the JSON of a response in parts, to be written one
// after the other: the data, hundreds of kilobytes for a large answer, is
// written as it is rather than copied into one buffer with the rest.
type responseBody [][]byte

func (b responseBody) size() int {
	n := 0
	for _, part := range b {
		n += len(part)
	}
	return n
}

// encodeResponse is the JSON of a response, ended by a newline.
func encodeResponse(resp *graphql.Response) responseBody {
	// The data is already encoded JSON from graphql-go: write it as it is
	// rather than letting encoding/json validate and compact it again.
	data := resp.Data
	rest := []byte("{}") // most answers: no errors, no extensions
	if len(resp.Errors) > 0 || resp.Extensions != nil {
		resp.Data = nil
		var err error
		rest, err = json.Marshal(resp) // errors and extensions only
		resp.Data = data
		if err != nil {
			rest = []byte(`{"errors":[{"message":"internal error encoding the response"}]}`)
		}
	}
	if len(data) == 0 {
		return responseBody{append(rest, '\n')}
	}
	tail := []byte("}\n")
	if len(rest) > 2 { // more than "{}"
		tail = append(append([]byte{','}, rest[1:]...), '\n')
	}
	return responseBody{[]byte(`{"data":`), data, tail}
}

// responseMedia picks the response type: the GraphQL one when the client
// accepts it, else application/json (legacy clients, no Accept header).
func responseMedia(accept string) string {
	if !strings.Contains(strings.ToLower(accept), "graphql-response") {
		return mediaJSON // no part can name it: nothing to parse
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == mediaGraphQLResponse {
			return mediaGraphQLResponse
		}
	}
	return mediaJSON
}

// logRequest logs slow requests with their query (cut short) and, at
// debug level, requests that ended with errors.
func (s *Schema) logRequest(ctx context.Context, req httpRequest, resp *graphql.Response, elapsed time.Duration) {
	slow := elapsed > s.opts.SlowRequest
	if !slow && (len(resp.Errors) == 0 || !s.log.Enabled(ctx, slog.LevelDebug)) {
		return // nothing to log: build no attributes
	}
	attrs := []any{"operation", req.OperationName, "elapsed", elapsed, "errors", len(resp.Errors)}
	if len(resp.Errors) > 0 {
		attrs = append(attrs, "first_error", resp.Errors[0].Message)
	}
	if slow {
		q := req.Query
		if len(q) > 500 {
			q = q[:500] + "..."
		}
		s.log.WarnContext(ctx, "graphql: slow request", append(attrs, "query", q)...)
		return
	}
	if len(resp.Errors) > 0 {
		s.log.DebugContext(ctx, "graphql: request with errors", attrs...)
	}
}
