// Command hello is a Lambda function that speaks the Lambda Runtime API itself, with Go's standard library only.
//
// Each invocation answers {"source":"go-app","function":<AWS_LAMBDA_FUNCTION_NAME>,"requestId":<id>,"event":<event>};
// an event with "fail": true gets the error {"errorMessage":"go-app failed because the event asked it to",
// "errorType":"GoAppError"} instead. Without AWS_LAMBDA_FUNCTION_NAME, or with GO_APP_FAIL_INIT set, it posts an
// init error ({"errorMessage":...,"errorType":"GoAppInitError"}) and exits with status 1.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

const (
	errorTypeHeader = "Lambda-Runtime-Function-Error-Type"
	contentType     = "application/json"
)

type runtimeAPI struct {
	base   string
	client *http.Client
}

type lambdaError struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

type reply struct {
	Source    string          `json:"source"`
	Function  string          `json:"function"`
	RequestID string          `json:"requestId"`
	Event     json.RawMessage `json:"event"`
}

func main() {
	address := os.Getenv("AWS_LAMBDA_RUNTIME_API")
	if address == "" {
		fmt.Fprintln(os.Stderr, "go-app: AWS_LAMBDA_RUNTIME_API is not set")
		os.Exit(1)
	}
	api := &runtimeAPI{
		base: "http://" + address + "/2018-06-01/runtime",
		// One kept-alive connection, no proxy, and no timeout: /next waits as long as there is no work.
		client: &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 1}},
	}
	name := os.Getenv("AWS_LAMBDA_FUNCTION_NAME")
	switch {
	case name == "":
		api.initError("AWS_LAMBDA_FUNCTION_NAME is not set")
	case os.Getenv("GO_APP_FAIL_INIT") != "":
		api.initError("GO_APP_FAIL_INIT is set: " + os.Getenv("GO_APP_FAIL_INIT"))
	}
	for {
		api.serveOne(name)
	}
}

// serveOne waits for an invocation and answers it.
func (api *runtimeAPI) serveOne(name string) {
	response, err := api.client.Get(api.base + "/invocation/next")
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-app: the Runtime API is gone:", err)
		os.Exit(1)
	}
	event, err := io.ReadAll(response.Body)
	response.Body.Close()
	if err != nil || response.StatusCode != http.StatusOK {
		if response.StatusCode != http.StatusInternalServerError { // 500: the instance is being stopped
			fmt.Fprintln(os.Stderr, "go-app: /next answered", response.Status, err)
		}
		os.Exit(1)
	}
	requestID := response.Header.Get("Lambda-Runtime-Aws-Request-Id")
	fmt.Printf("go-app: %s handling request %s\n", name, requestID)

	var probe struct {
		Fail bool `json:"fail"`
	}
	if json.Unmarshal(event, &probe) == nil && probe.Fail {
		api.post("/invocation/"+requestID+"/error", lambdaError{
			ErrorMessage: "go-app failed because the event asked it to",
			ErrorType:    "GoAppError",
		}, "GoAppError")
		return
	}
	if len(bytes.TrimSpace(event)) == 0 {
		event = nil // marshals as null
	} else if !json.Valid(event) {
		api.post("/invocation/"+requestID+"/error", lambdaError{
			ErrorMessage: "go-app cannot echo an event that is not JSON",
			ErrorType:    "GoAppInvalidEvent",
		}, "GoAppInvalidEvent")
		return
	}
	api.post("/invocation/"+requestID+"/response", reply{
		Source: "go-app", Function: name, RequestID: requestID, Event: json.RawMessage(event),
	}, "")
}

// initError reports a failed initialization and exits.
func (api *runtimeAPI) initError(message string) {
	fmt.Fprintln(os.Stderr, "go-app: init failed:", message)
	api.post("/init/error", lambdaError{ErrorMessage: message, ErrorType: "GoAppInitError"}, "GoAppInitError")
	os.Exit(1)
}

// post sends a JSON body; it exits when the Runtime API refuses it for good or is gone.
func (api *runtimeAPI) post(path string, value interface{}, errorType string) {
	body, err := json.Marshal(value)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-app:", err)
		os.Exit(1)
	}
	request, err := http.NewRequest(http.MethodPost, api.base+path, bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-app:", err)
		os.Exit(1)
	}
	request.Header.Set("Content-Type", contentType)
	if errorType != "" {
		request.Header.Set(errorTypeHeader, errorType)
	}
	response, err := api.client.Do(request)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-app: the Runtime API is gone:", err)
		os.Exit(1)
	}
	answer, _ := io.ReadAll(response.Body)
	response.Body.Close()
	if response.StatusCode >= 500 || response.StatusCode == http.StatusForbidden {
		fmt.Fprintf(os.Stderr, "go-app: %s answered %s: %s\n", path, response.Status, answer)
		os.Exit(1)
	}
}
