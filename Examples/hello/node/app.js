exports.handler = async (event, context) => {
  const body = typeof event.body === "string" ? JSON.parse(event.body || "{}") : event;
  const name = body.name || "world";
  console.log(`saying hello to ${name}`);
  return { message: `${process.env.GREETING}, ${name}! (${process.env.LANGUAGE})`, requestId: context.awsRequestId };
};
