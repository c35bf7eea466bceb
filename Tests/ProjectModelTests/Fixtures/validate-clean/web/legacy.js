function main(event) { return event; }
function other() {}
module.exports = { main, other };
