export const handler = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ runtime: "node", routeKey: event.routeKey, rawPath: event.rawPath, pid: process.pid }),
});
