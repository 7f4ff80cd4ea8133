import type { Server, Socket } from 'node:net';

/** Counts the bytes a server reads from its sockets (request lines, headers and bodies) between start and stop. */
export function socketBytesMeter(server: Server) {
  const sockets = new Map<Socket, number>();
  let closed = 0;
  let measuring = false;
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, 0);
    socket.once('close', () => {
      if (measuring) closed += socket.bytesRead - (sockets.get(socket) ?? 0);
      sockets.delete(socket);
    });
  });
  return {
    start() {
      for (const socket of sockets.keys()) sockets.set(socket, socket.bytesRead);
      closed = 0;
      measuring = true;
    },
    stop(): number {
      measuring = false;
      let total = closed;
      for (const [socket, base] of sockets) total += socket.bytesRead - base;
      return total;
    },
  };
}
