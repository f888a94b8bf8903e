exports.handler = async () => ({ message: 'hello' });
