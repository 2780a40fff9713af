// variant: echoes with 'data' + write and honours backpressure by hand; logs with process.stderr.write; once('error') / once('listening')
import { createServer, type Server, type Socket } from 'node:net';

function serve(socket: Socket): void {
  socket.on('error', (err: NodeJS.ErrnoException) => {
    process.stderr.write(`${new Date().toISOString()} conn ${socket.remoteAddress}:${socket.remotePort} ${err.code}\n`);
  });
  socket.on('data', (chunk) => {
    if (!socket.write(chunk)) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  });
  socket.on('end', () => socket.end());
}

export function startEchoServer(port: number, host?: string): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, serve);
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      server.on('error', (err: NodeJS.ErrnoException) => process.stderr.write(`server ${err.code}\n`));
      resolve(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    if (host === undefined) server.listen(port);
    else server.listen(port, host);
  });
}
