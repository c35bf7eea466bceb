// POST /greet (HTTP API, payload 2.0), or a plain {"name": ...} event.
exports.greet = async (event, context) => {
  let name = event.name ?? "world";
  if (event.body) {
    const body = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString() : event.body;
    name = JSON.parse(body).name ?? name;
  }
  return {
    statusCode: 200,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      message: `${process.env.GREETING}, ${name}! (${process.env.LANGUAGE})`,
      stage: process.env.STAGE,
      function: context.functionName,
    }),
  };
};
