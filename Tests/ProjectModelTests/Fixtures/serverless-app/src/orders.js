exports.create = async (event) => ({ statusCode: 201 });
