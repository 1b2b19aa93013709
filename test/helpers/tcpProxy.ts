import net, { type AddressInfo } from 'node:net'

/**
 * A TCP relay in front of a server, which a test can take down (every connection cut, the port
 * refusing new ones) and bring back on the same port: to the clients behind it, the server
 * restarted.
 */
export interface TcpProxy {
  port: number
  /** Cuts every open connection and stops listening. */
  down: () => Promise<void>
  /** Listens again on the same port. */
  up: () => Promise<void>
  close: () => Promise<void>
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  let port = 0
  let server: net.Server | undefined
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost)
        for (const socket of [client, upstream]) {
          sockets.add(socket)
          socket.on('close', () => sockets.delete(socket))
          socket.on('error', () => {
            client.destroy()
            upstream.destroy()
          })
        }
        client.pipe(upstream).pipe(client)
      })
      s.once('error', reject)
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as AddressInfo).port
        server = s
        resolve()
      })
    })
  const down = async () => {
    const s = server
    server = undefined
    for (const socket of sockets) {
      socket.destroy()
    }
    if (s) {
      await new Promise<void>((resolve) => s.close(() => resolve()))
    }
  }
  await listen()
  return { port, down, up: listen, close: down }
}
