import { Room } from '@livekit/rtc-node'
import { AccessToken } from 'livekit-server-sdk'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { LivekitAdapter } from '../../src/livekit/adapter.js'

/** An adapter on the test LiveKit server (or another URL), for looking behind the plugin's back. */
export function testLivekit(url = process.env.LIVEKIT_URL!): LivekitAdapter {
  return new LivekitAdapter({
    url,
    apiUrl: url.replace(/^ws/, 'http'),
    apiKey: process.env.LIVEKIT_API_KEY!,
    apiSecret: process.env.LIVEKIT_API_SECRET!,
    requestTimeoutMs: 5000,
  })
}

/** A headless participant (libwebrtc inside @livekit/rtc-node) joined to a room. */
export async function joinRoom(
  roomName: string,
  identity: string,
  url = process.env.LIVEKIT_URL!,
  grants: { canPublish?: boolean } = {},
): Promise<Room> {
  const token = new AccessToken(process.env.LIVEKIT_API_KEY, process.env.LIVEKIT_API_SECRET, {
    identity,
    ttl: '10m',
  })
  token.addGrant({
    room: roomName,
    roomJoin: true,
    canSubscribe: true,
    canPublish: grants.canPublish ?? false,
  })
  const room = new Room()
  await room.connect(url, await token.toJwt(), { autoSubscribe: false, dynacast: false })
  return room
}

/**
 * A second livekit-server of our own (other ports, same keys), which a test may stop and start
 * without disturbing the shared one.
 */
export class PrivateLivekitServer {
  private process: ChildProcess | null = null
  readonly url: string
  private readonly config: string

  /** `extra`: more livekit.yaml lines (e.g. redis and ingress settings). */
  constructor(
    readonly port: number,
    extra: string[] = [],
  ) {
    this.url = `ws://127.0.0.1:${port}`
    const dir = mkdtempSync(path.join(tmpdir(), 'plk-lk-'))
    this.config = path.join(dir, 'livekit.yaml')
    writeFileSync(
      this.config,
      [
        `port: ${port}`,
        'bind_addresses: ["0.0.0.0"]',
        `rtc: { tcp_port: ${port + 1}, udp_port: ${port + 2}, use_external_ip: false }`,
        `keys: { ${process.env.LIVEKIT_API_KEY}: ${process.env.LIVEKIT_API_SECRET} }`,
        'room: { auto_create: false }',
        'logging: { level: warn }',
        ...extra,
      ].join('\n'),
    )
  }

  async start(): Promise<void> {
    const bin = process.env.LIVEKIT_BIN
    if (!bin) {
      throw new Error('LIVEKIT_BIN is not set: run the suites with `npm test`.')
    }
    this.process = spawn(
      bin,
      [
        '--config',
        this.config,
        ...(process.env.TEST_NODE_IP ? ['--node-ip', process.env.TEST_NODE_IP] : []),
      ],
      { stdio: 'ignore' },
    )
    const admin = testLivekit(this.url)
    for (let i = 0; i < 100; i++) {
      if (
        await admin.listRooms().then(
          () => true,
          () => false,
        )
      ) {
        return
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`private livekit-server on ${this.port} did not start`)
  }

  async stop(): Promise<void> {
    const proc = this.process
    this.process = null
    await killAndWait(proc)
  }
}

/** A throwaway Redis (Debian's redis-server), which LiveKit needs for egress and ingress dispatch. */
export class RedisServer {
  private process: ChildProcess | null = null

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const dir = mkdtempSync(path.join(tmpdir(), 'plk-redis-'))
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    )
    const { createConnection } = await import('node:net')
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = createConnection(this.port, '127.0.0.1')
        socket.once('connect', () => (socket.end(), resolve(true)))
        socket.once('error', () => resolve(false))
      })
      if (up) {
        return
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(
      `redis-server on ${this.port} did not start (is Debian's redis-server installed?)`,
    )
  }

  async stop(): Promise<void> {
    const proc = this.process
    this.process = null
    await killAndWait(proc)
  }
}

async function killAndWait(proc: ChildProcess | null): Promise<void> {
  if (!proc || proc.exitCode !== null) {
    return
  }
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve())
    proc.kill('SIGKILL')
  })
}
