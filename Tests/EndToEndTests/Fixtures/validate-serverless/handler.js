exports.fine = async () => ({ statusCode: 200, body: "fine" });
