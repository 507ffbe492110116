// One Lambda execution environment: loads a CommonJS bundle once (the init phase), then runs one invocation
// at a time. Module state persists between invocations, as in a warm Lambda container. Plain JavaScript on
// purpose: the worker starts without the TypeScript loader, so it loads exactly what Lambda would load.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

const { bundlePath, handlerName, functionName, memoryMb } = workerData;

function describe(err) {
  if (err instanceof Error) return { type: err.name || 'Error', message: String(err.message) };
  // callback('Unauthorized') and `throw 'x'` reach Lambda as strings: the message is the string itself.
  if (typeof err === 'string') return { type: 'Error', message: err };
  let text;
  try {
    text = JSON.stringify(err);
  } catch {
    text = String(err);
  }
  return { type: 'Error', message: String(text) };
}

// Lambda answers with the JSON serialisation of the result: undefined becomes null, functions vanish.
function serialise(value) {
  const text = JSON.stringify(value === undefined ? null : value);
  return text === undefined ? 'null' : text;
}

let handler;
let initError;
try {
  const mod = require(bundlePath);
  handler = mod[handlerName];
  if (typeof handler !== 'function') {
    initError = { type: 'Runtime.HandlerNotFound', message: `${functionName}: ${handlerName} is not a function` };
  }
} catch (err) {
  initError = { type: 'Runtime.ImportModuleError', message: describe(err).message };
}

function runHandler(event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, value) => {
      if (settled) return;
      settled = true;
      if (err !== null && err !== undefined) reject(err);
      else resolve(value);
    };
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') {
        returned.then(
          (v) => callback(null, v),
          (e) => callback(e === undefined || e === null ? new Error('rejected') : e),
        );
      } else if (handler.length < 3) {
        // A synchronous handler without a callback parameter: its return value is the result.
        callback(null, returned);
      }
    } catch (err) {
      callback(err === undefined || err === null ? new Error('thrown') : err);
    }
  });
}

parentPort.on('message', async (msg) => {
  if (!msg || msg.type !== 'invoke') return;
  const { id, event, requestId, deadline } = msg;
  if (initError) {
    parentPort.postMessage({ type: 'result', id, ok: false, error: initError });
    return;
  }
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION || 'us-east-1'}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const value = await runHandler(event, context);
    parentPort.postMessage({ type: 'result', id, ok: true, json: serialise(value) });
  } catch (err) {
    parentPort.postMessage({ type: 'result', id, ok: false, error: describe(err) });
  }
});
parentPort.postMessage({ type: 'ready' });
