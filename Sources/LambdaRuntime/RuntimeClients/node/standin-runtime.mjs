// standin's Lambda runtime client for Node.js (built-in modules only).
//
// Speaks the Lambda Runtime API (2018-06-01) at $AWS_LAMBDA_RUNTIME_API and runs the handler named by $_HANDLER the
// way AWS's Node.js runtime (aws-lambda-nodejs-runtime-interface-client) does: the same module lookup (CommonJS and
// ES modules), sync/async/callback handlers, callbackWaitsForEmptyEventLoop, the context object, error payloads and
// log format. The HTTP client is a raw `node:net` HTTP/1.1 keep-alive connection with no delay (node:http costs
// twice as much to load); the socket is unreferenced between requests so that `beforeExit` fires when the
// function's own work is done, as it does in Lambda.

import { connect } from 'node:net';
import { format } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const API = '/2018-06-01/runtime';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';

// ---- errors (Errors.js) -------------------------------------------------------------------------------------------

class ImportModuleError extends Error {}
class HandlerNotFound extends Error {}
class MalformedHandlerName extends Error {}
class UserCodeSyntaxError extends Error {}
class MalformedStreamingHandler extends Error {}
class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
for (const cls of [
  ImportModuleError,
  HandlerNotFound,
  MalformedHandlerName,
  UserCodeSyntaxError,
  MalformedStreamingHandler,
  UnhandledPromiseRejection,
]) {
  cls.prototype.name = `Runtime.${cls.name}`;
}

function isError(value) {
  return (
    value instanceof Error ||
    (value &&
      typeof value.name === 'string' &&
      typeof value.message === 'string' &&
      typeof value.stack === 'string')
  );
}

function intoError(err) {
  return err instanceof Error ? err : new Error(err);
}

/** The error body Lambda's Node.js runtime posts: errorType, errorMessage, trace. */
function toRapidResponse(error) {
  try {
    if (isError(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: error.stack.split('\n') };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch (_) {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its ' +
        'message, name, and stack',
    };
  }
}

function withEnumerableProperties(error) {
  if (error instanceof Error) {
    const ret = Object.assign({ errorType: error.name, errorMessage: error.message, code: error.code }, error);
    if (typeof error.stack === 'string') {
      ret.stack = error.stack.split('\n');
    }
    return ret;
  }
  return error;
}

function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_k, v) => withEnumerableProperties(v));
  } catch (_) {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}

function serialize(body) {
  try {
    return JSON.stringify(body === undefined ? null : body);
  } catch (_) {
    throw new Error('Unable to stringify response body');
  }
}

// ---- console in Lambda's text format (LogPatch.js) ------------------------------------------------------------------

const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');

const JSON_LOGS = (process.env.AWS_LAMBDA_LOG_FORMAT || '').toUpperCase() === 'JSON';

function jsonErrorReplacer(_, value) {
  if (value instanceof Error) {
    return Object.assign(
      {
        errorType: value?.constructor?.name ?? 'UnknownError',
        errorMessage: value.message,
        stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
      },
      value,
    );
  }
  return value;
}

/** A log record in Lambda's JSON format (AWS_LAMBDA_LOG_FORMAT=JSON). */
function formatJsonMessage(requestId, timestamp, level, messageParams) {
  const result = { timestamp, level, requestId };
  if (messageParams.length === 1) {
    result.message = messageParams[0];
    try {
      return JSON.stringify(result, jsonErrorReplacer);
    } catch (_) {
      result.message = format(result.message);
      return JSON.stringify(result);
    }
  }
  result.message = format(...messageParams);
  for (const param of messageParams) {
    if (param instanceof Error) {
      result.errorType = param?.constructor?.name ?? 'UnknownError';
      result.errorMessage = param.message;
      result.stackTrace = typeof param.stack === 'string' ? param.stack.split('\n') : [];
      break;
    }
  }
  return JSON.stringify(result);
}

function patchConsole() {
  const write = (level, message, params) => {
    const time = new Date().toISOString();
    const line = JSON_LOGS
      ? formatJsonMessage(globalThis[REQUEST_ID], time, level, [message, ...params])
      : `${time}\t${globalThis[REQUEST_ID]}\t${level}\t${format(message, ...params)}`;
    process.stdout.write(line.replace(/\n/g, '\r') + '\n');
  };
  const levels = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
  const minimum = levels[(process.env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase()] ?? 1;
  const make = (level) => (levels[level] >= minimum ? (msg, ...params) => write(level, msg, params) : () => {});
  console.trace = make('TRACE');
  console.debug = make('DEBUG');
  console.info = make('INFO');
  console.log = console.info;
  console.warn = make('WARN');
  console.error = make('ERROR');
  console.fatal = (msg, ...params) => write('FATAL', msg, params);
}

function logError(message, err) {
  if (JSON_LOGS) {
    console.error(intoError(err));
  } else {
    console.error(message, toFormatted(intoError(err)));
  }
}

// ---- the Runtime API over one keep-alive connection --------------------------------------------------------------

function gone() {
  // standin (the Runtime API) went away: end at once so no process is left behind.
  process.exit(1);
}

class RuntimeAPI {
  constructor(address) {
    const colon = address.lastIndexOf(':');
    this.host = address.slice(0, colon).replace(/^\[|\]$/g, '') || '127.0.0.1';
    this.port = parseInt(address.slice(colon + 1), 10);
    this.hostHeader = `Host: ${address}\r\nUser-Agent: standin-nodejs-runtime\r\n`;
    this.socket = null;
    this.buffer = Buffer.alloc(0);
    this.pending = null; // { resolve, received }
    this.queue = Promise.resolve();
  }

  /** One request at a time; resolves to { status, headers, body } (body a Buffer). */
  request(method, path, body, extraHeaders = '') {
    const run = () => this._send(method, path, body, extraHeaders);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => {});
    return result;
  }

  _connect() {
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this._onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this._onClose(socket));
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    return socket;
  }

  _send(method, path, body, extraHeaders) {
    let head = `${method} ${path} HTTP/1.1\r\n${this.hostHeader}${extraHeaders}`;
    let payload;
    if (body !== undefined) {
      payload = Buffer.from(body, 'utf8');
      head += `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n`;
    }
    head += '\r\n';
    const message = payload ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : Buffer.from(head, 'latin1');
    return new Promise((resolve) => {
      const attempt = (retry) => {
        const reused = this.socket !== null;
        const socket = reused ? this.socket : this._connect();
        this.pending = { resolve, received: false, retry: reused && retry ? () => attempt(false) : null };
        socket.ref();
        socket.write(message);
      };
      attempt(true);
    });
  }

  _onClose(socket) {
    if (this.socket !== socket) return;
    this.socket = null;
    const pending = this.pending;
    if (pending === null) return; // an idle connection closed: reconnect on the next request
    this.pending = null;
    if (!pending.received && pending.retry) {
      pending.retry();
      return;
    }
    gone();
  }

  _onData(chunk) {
    if (this.pending === null) return;
    this.pending.received = true;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const response = this._parse();
    if (response === null) return;
    const pending = this.pending;
    this.pending = null;
    if (this.socket) this.socket.unref();
    if ((response.headers.connection || '').toLowerCase() === 'close') {
      const socket = this.socket;
      this.socket = null;
      socket.destroy();
    }
    pending.resolve(response);
  }

  _parse() {
    const buffer = this.buffer;
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const lines = buffer.toString('latin1', 0, end).split('\r\n');
    const status = parseInt(lines[0].split(' ')[1], 10);
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon > 0) headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
    }
    let offset = end + 4;
    let body;
    if ((headers['transfer-encoding'] || '').toLowerCase() === 'chunked') {
      const parts = [];
      for (;;) {
        const lineEnd = buffer.indexOf('\r\n', offset);
        if (lineEnd < 0) return null;
        const size = parseInt(buffer.toString('latin1', offset, lineEnd).split(';')[0], 16);
        if (size === 0) {
          const trailerEnd = buffer.indexOf('\r\n\r\n', lineEnd);
          if (buffer.length >= lineEnd + 4 && buffer[lineEnd + 2] === 13 && buffer[lineEnd + 3] === 10) {
            offset = lineEnd + 4;
          } else if (trailerEnd >= 0) {
            offset = trailerEnd + 4;
          } else {
            return null;
          }
          break;
        }
        if (buffer.length < lineEnd + 2 + size + 2) return null;
        parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        offset = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      const length = parseInt(headers['content-length'] || '0', 10);
      if (buffer.length < offset + length) return null;
      body = buffer.subarray(offset, offset + length);
      offset += length;
    }
    this.buffer = buffer.subarray(offset);
    return { status, headers, body };
  }

  async next() {
    const response = await this.request('GET', `${API}/invocation/next`);
    if (response.status !== 200) {
      // 500: the instance is being stopped; nothing to say.
      if (response.status !== 500) process.stdout.write(`standin runtime: /next returned ${response.status}\n`);
      gone();
    }
    return response;
  }

  async post(path, bodyString, errorType) {
    const header = errorType ? `${ERROR_TYPE_HEADER}: ${String(errorType).replace(/[^\x20-\x7e]/g, '?')}\r\n` : '';
    const response = await this.request('POST', path, bodyString, header);
    if (response.status >= 500 || response.status === 403) {
      process.stdout.write(`standin runtime: ${path} returned ${response.status}: ${response.body.toString()}\n`);
      gone();
    }
    return response;
  }

  postInvocationResponse(result, id) {
    const body = serialize(result); // throws synchronously, as the real client does
    return this.post(`${API}/invocation/${encodeURIComponent(id)}/response`, body);
  }

  postInvocationError(error, id) {
    const response = toRapidResponse(error);
    return this.post(`${API}/invocation/${encodeURIComponent(id)}/error`, serialize(response), response.errorType);
  }

  /**
   * Starts a streamed `/response` (Transfer-Encoding: chunked, Lambda-Runtime-Function-Response-Mode: streaming).
   * The request head goes out with the first chunk, so the content type can be set until then.
   */
  openStream(id, contentType) {
    const path = `${API}/invocation/${encodeURIComponent(id)}/response`;
    const socket = this.socket !== null ? this.socket : this._connect();
    const response = new Promise((resolve) => {
      this.pending = { resolve, received: false, retry: null };
    });
    socket.ref();
    let headSent = false;
    const sendHead = () => {
      if (headSent) return;
      headSent = true;
      socket.write(
        `POST ${path} HTTP/1.1\r\n${this.hostHeader}Lambda-Runtime-Function-Response-Mode: streaming\r\n` +
          `Transfer-Encoding: chunked\r\nContent-Type: ${contentType()}\r\n` +
          'Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n',
        'latin1',
      );
    };
    return {
      get started() {
        return headSent;
      },
      write: (chunk) => {
        sendHead();
        if (chunk.length > 0) {
          socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
        }
      },
      end: (error) => {
        sendHead();
        let trailers = '';
        if (error !== undefined) {
          const body = toRapidResponse(error);
          trailers =
            `${ERROR_TYPE_HEADER}: ${String(body.errorType).replace(/[^\x20-\x7e]/g, '?')}\r\n` +
            `Lambda-Runtime-Function-Error-Body: ${Buffer.from(serialize(body)).toString('base64')}\r\n`;
        }
        socket.write(`0\r\n${trailers}\r\n`, 'latin1');
        return response;
      },
    };
  }

  postInitError(error) {
    const response = toRapidResponse(error);
    return this.post(`${API}/init/error`, serialize(response), response.errorType);
  }
}

// ---- loading the handler (UserFunction.js) -------------------------------------------------------------------------

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

/** `awslambda.HttpResponseStream`: a JSON prelude (status, headers, cookies) and 8 NUL bytes, then the body. */
class HttpResponseStream {
  static from(underlyingStream, prelude) {
    underlyingStream.setContentType('application/vnd.awslambda.http-integration-response');
    underlyingStream.write(JSON.stringify(prelude));
    underlyingStream.write(new Uint8Array(8));
    return underlyingStream;
  }
}

function hasFolderPackageJsonTypeModule(folder) {
  if (folder.endsWith('/node_modules')) return false;
  const pj = join(folder, '/package.json');
  if (existsSync(pj)) {
    try {
      const pkg = JSON.parse(readFileSync(pj));
      if (pkg) return pkg.type === 'module';
    } catch (e) {
      console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
      return false;
    }
  }
  if (folder === '/') return false;
  return hasFolderPackageJsonTypeModule(resolvePath(folder, '..'));
}

function tryRequireFile(file, extension = '') {
  const path = file + extension;
  return existsSync(path) ? require(path) : undefined;
}

async function tryAwaitImport(file, extension = '') {
  const path = file + extension;
  return existsSync(path) ? await import(pathToFileURL(path).href) : undefined;
}

async function tryRequire(appRoot, moduleRoot, module) {
  const lambdaStylePath = resolvePath(appRoot, moduleRoot, module);
  const extensionless = tryRequireFile(lambdaStylePath);
  if (extensionless) return extensionless;
  const pjHasModule = hasFolderPackageJsonTypeModule(resolvePath(dirname(lambdaStylePath)));
  if (!pjHasModule) {
    const loaded = tryRequireFile(lambdaStylePath, '.js');
    if (loaded) return loaded;
  }
  const loaded =
    (pjHasModule && (await tryAwaitImport(lambdaStylePath, '.js'))) ||
    (await tryAwaitImport(lambdaStylePath, '.mjs')) ||
    tryRequireFile(lambdaStylePath, '.cjs');
  if (loaded) return loaded;
  return require(require.resolve(module, { paths: [appRoot, moduleRoot] }));
}

async function loadUserApp(appRoot, moduleRoot, module) {
  if (!['1', 'true'].includes(process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA)) {
    globalThis.awslambda = {
      streamifyResponse: (handler, options) => {
        handler[HANDLER_STREAMING] = 'response';
        if (typeof options?.highWaterMark === 'number') handler[HANDLER_HIGHWATERMARK] = options.highWaterMark;
        return handler;
      },
      HttpResponseStream,
    };
  }
  try {
    return await tryRequire(appRoot, moduleRoot, module);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(e);
    if (e && e.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(e);
    throw e;
  }
}

async function loadHandler(appRoot, fullHandlerString) {
  if (fullHandlerString.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandlerString}' is not a valid handler name. ` +
        'Use absolute paths when specifying root directories in handler names.',
    );
  }
  const handlerString = basename(fullHandlerString);
  const moduleRoot = fullHandlerString.substring(0, fullHandlerString.indexOf(handlerString));
  const match = handlerString.match(/^([^.]*)\.(.*)$/);
  if (!match || match.length !== 3) throw new MalformedHandlerName('Bad handler');
  const [, module, handlerPath] = match;
  const userApp = await loadUserApp(appRoot, moduleRoot, module);
  const handlerFunc = handlerPath.split('.').reduce((nested, key) => nested && nested[key], userApp);
  if (!handlerFunc) throw new HandlerNotFound(`${fullHandlerString} is undefined or not exported`);
  if (typeof handlerFunc !== 'function') throw new HandlerNotFound(`${fullHandlerString} is not a function`);
  const streaming = handlerFunc[HANDLER_STREAMING];
  if (streaming !== undefined && streaming !== null && streaming !== false && streaming !== 'response') {
    throw new MalformedStreamingHandler('Only response streaming is supported.');
  }
  return handlerFunc;
}

// ---- the invoke loop (Runtime.js, CallbackContext.js, InvokeContext.js) ---------------------------------------------

const BEFORE_EXIT = Symbol.for('aws.lambda.beforeExit');
const NO_OP = () => {};
const beforeExit = {
  invoke: () => globalThis[BEFORE_EXIT](),
  reset: () => (globalThis[BEFORE_EXIT] = NO_OP),
  set: (listener) => (globalThis[BEFORE_EXIT] = listener),
};

function buildCallbackContext(api, id, scheduleNext) {
  const postError = (err, next) => {
    logError('Invoke Error', err);
    api.postInvocationError(err, id).then(next);
  };
  let isCompleteInvoked = false;
  const complete = (result, next) => {
    if (isCompleteInvoked) {
      console.error(
        'Invocation has already been reported as done. Cannot call complete more than once per invocation.',
      );
      return;
    }
    isCompleteInvoked = true;
    api.postInvocationResponse(result, id).then(next);
  };
  let waitForEmptyEventLoop = true;
  const callback = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) {
      postError(err, scheduleNext);
    } else if (!waitForEmptyEventLoop) {
      complete(result, scheduleNext);
    } else {
      beforeExit.set(() => setImmediate(() => complete(result, scheduleNext)));
    }
  };
  const done = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) {
      postError(err, scheduleNext);
    } else {
      complete(result, scheduleNext);
    }
  };
  // Only the first call to any of callback/succeed/fail/done counts.
  let finished = false;
  const once =
    (fn) =>
    (...args) => {
      if (!finished) {
        fn(...args);
        finished = true;
      }
    };
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
    succeed: once((result) => done(null, result)),
    fail: once((err) => (err === undefined || err === null ? done('handled') : done(err, null))),
    done: once(done),
  };
  return [once(callback), context, () => (isCompleteInvoked = true)];
}

function parseJSONHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

class Runtime {
  constructor(api, handler, errorCallbacks) {
    this.api = api;
    this.handler = handler;
    this.errorCallbacks = errorCallbacks;
    this.isAsync = handler.constructor && handler.constructor.name === 'AsyncFunction';
    this.streaming = handler[HANDLER_STREAMING] === 'response';
  }

  scheduleIteration() {
    setImmediate(() => {
      this.handleOnce().then(NO_OP, (err) => {
        console.log(`Unexpected Top Level Error: ${err.toString()}`);
        this.errorCallbacks.uncaughtException(err);
      });
    });
  }

  async handleOnce() {
    if (this.streaming) return this.handleOnceStreaming();
    const { headers, body } = await this.api.next();
    const id = headers['lambda-runtime-aws-request-id'];
    globalThis[REQUEST_ID] = id;
    const [callback, callbackContext, markCompleted] = buildCallbackContext(this.api, id, () =>
      this.scheduleIteration(),
    );
    try {
      this.errorCallbacks.uncaughtException = (error) => {
        this.api.postInvocationError(error, id).then(() => process.exit(129));
      };
      this.errorCallbacks.unhandledRejection = (error) => {
        this.api.postInvocationError(error, id).then(() => process.exit(128));
      };
      // A handler that neither returns a promise nor calls back gets a null response when its work is done.
      beforeExit.set(() => {
        markCompleted();
        this.api.postInvocationResponse(null, id).then(() => this.scheduleIteration());
      });
      const context = attachInvokeData(callbackContext, headers, id);
      const result = this.handler(JSON.parse(body.toString('utf8')), context, callback);
      if (result && typeof result.then === 'function') {
        result.then(context.succeed, context.fail).catch(context.fail);
      }
    } catch (err) {
      callback(err);
    }
  }

  /** A `streamifyResponse` handler: `(event, responseStream, context)`, its writes posted as they happen. */
  async handleOnceStreaming() {
    const { headers, body } = await this.api.next();
    const id = headers['lambda-runtime-aws-request-id'];
    globalThis[REQUEST_ID] = id;
    const { Writable } = await import('node:stream');
    let contentType = 'application/octet-stream';
    const http = this.api.openStream(id, () => contentType);
    const highWaterMark = this.handler[HANDLER_HIGHWATERMARK];
    const responseStream = new Writable({
      ...(typeof highWaterMark === 'number' ? { highWaterMark } : {}),
      write(chunk, encoding, done) {
        http.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
        done();
      },
    });
    responseStream.setContentType = (value) => {
      if (http.started) throw new Error('Cannot set content-type, too late.');
      contentType = value;
    };
    let finished = false;
    const finish = async (error) => {
      if (finished) return;
      finished = true;
      if (error !== undefined) logError('Invoke Error', error);
      await http.end(error);
      this.scheduleIteration();
    };
    this.errorCallbacks.uncaughtException = (error) => {
      finish(error).then(() => process.exit(129));
    };
    this.errorCallbacks.unhandledRejection = (error) => {
      finish(error).then(() => process.exit(128));
    };
    beforeExit.set(() => finish());
    try {
      const context = attachInvokeData({}, headers, id);
      const result = this.handler(JSON.parse(body.toString('utf8')), responseStream, context);
      if (!(result && typeof result.then === 'function')) {
        await finish(new Error('Streaming does not support non-async handlers.'));
        return;
      }
      const value = await result;
      if (value !== undefined) console.warn('Streaming handlers ignore return values.');
      if (!responseStream.writableFinished) {
        if (!responseStream.writableEnded) responseStream.end();
        await new Promise((resolve) => responseStream.once('finish', resolve));
      }
      beforeExit.reset();
      await finish();
    } catch (err) {
      beforeExit.reset();
      await finish(err);
    }
  }
}

/** Adds what Lambda's context carries from the environment and the `/next` headers; forwards the trace id. */
function attachInvokeData(target, headers, id) {
  if (headers['lambda-runtime-trace-id']) {
    process.env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
  } else {
    delete process.env._X_AMZN_TRACE_ID;
  }
  const deadline = headers['lambda-runtime-deadline-ms'];
  return Object.assign(
    target,
    {
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    },
    {
      clientContext: parseJSONHeader(headers['lambda-runtime-client-context'], 'ClientContext'),
      identity: parseJSONHeader(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
      invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
      awsRequestId: id,
      tenantId: headers['lambda-runtime-aws-tenant-id'],
      getRemainingTimeInMillis: () => deadline - Date.now(),
    },
  );
}

async function main() {
  patchConsole();
  const api = new RuntimeAPI(process.env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001');
  const errorCallbacks = {
    uncaughtException: (error) => {
      api.postInitError(error).then(() => process.exit(129));
    },
    unhandledRejection: (error) => {
      api.postInitError(error).then(() => process.exit(128));
    },
  };
  process.on('uncaughtException', (error) => {
    logError('Uncaught Exception', error);
    errorCallbacks.uncaughtException(error);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const error = new UnhandledPromiseRejection(reason, promise);
    logError('Unhandled Promise Rejection', error);
    errorCallbacks.unhandledRejection(error);
  });
  beforeExit.reset();
  process.on('beforeExit', beforeExit.invoke);

  const appRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
  let handler;
  try {
    handler = await loadHandler(appRoot, process.env._HANDLER || '');
  } catch (error) {
    logError('Uncaught Exception', error);
    await api.postInitError(error);
    process.exit(129);
  }
  new Runtime(api, handler, errorCallbacks).scheduleIteration();
}

main();
