import type { AddressInfo } from 'node:net'

/**
 * Floor (c): a bare Node `http` server doing only the irreducible work of a token
 * (`POST /live-streams/:id/token`, the JWTs done with jose and the LiveKit SDK), floor (c*) the
 * same with in-place HMACs (`POST /hmac/live-streams/:id/token`), plus `GET /hello`. Prints
 * `{"url":…}` when listening.
 */
import http from 'node:http'

import { tokenWork } from './tokenWork.js'

const issue = tokenWork()
const issueWithHmac = tokenWork(process.env, { crypto: 'hmac' })
const TOKEN = /^(\/hmac)?\/live-streams\/([^/]+)\/token\/?$/

const server = http.createServer((req, res) => {
  if (req.url === '/hello') {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('hello')
    return
  }
  const match = req.method === 'POST' ? TOKEN.exec(req.url ?? '') : null
  if (!match) {
    res.writeHead(404)
    res.end()
    return
  }
  // Drain the body as a route would, then answer.
  req.resume()
  req.once('end', () => {
    ;(match[1] ? issueWithHmac : issue)(req.headers.authorization ?? null, match[2]).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        res.end(body)
      },
      (error: Error) => {
        res.writeHead(500)
        res.end(error.message)
      },
    )
  })
})
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))
})
process.on('SIGTERM', () => process.exit(0))
