import { describe, expect, it } from 'vitest'

import { bodyToStore, columnText, nestsDeeperThan } from './storedBody.js'

describe('what the inbox keeps of a LiveKit event', () => {
  it('keeps an event with nothing to clean byte for byte', () => {
    const raw =
      '{"id":"EV_1","event":"participant_joined","participant":{"identity":"a","name":"Ann"}}'
    expect(bodyToStore(raw, () => null)).toBe(raw)
  })

  it('turns NULs in values and keys into U+FFFD', () => {
    const raw = JSON.stringify({
      id: 'EV_2',
      participant: { name: 'Eve\u0000', attributes: { 'k\u0000': 'v\u0000' } },
    })
    const stored = bodyToStore(raw, () => null)
    expect(stored).not.toContain('\\u0000')
    expect(JSON.parse(stored)).toEqual({
      id: 'EV_2',
      participant: { name: 'Eve\uFFFD', attributes: { 'k\uFFFD': 'v\uFFFD' } },
    })
  })

  it('masks stream keys, RTMP URLs wherever they appear and the overlay token, and keeps the rest', () => {
    const raw = JSON.stringify({
      egressInfo: {
        status: 'EGRESS_ACTIVE',
        roomComposite: {
          streamOutputs: [
            { urls: ['rtmp://a.rtmp.youtube.com/live2/KEY1', 'rtmps://x.example:443/app/KEY2'] },
          ],
        },
        streamResults: [{ url: 'rtmp://a.rtmp.youtube.com/live2/KEY1' }],
        web: {
          url: 'https://site.example/overlay?stream=1&token=JWT.TOKEN.SIG&serverUrl=wss%3A%2F%2Flk',
        },
        error: 'dial rtmp://a.rtmp.youtube.com/live2/KEY1: refused',
        fileResults: [{ filename: 'r.mp4', location: 's3://bucket/r.mp4' }],
      },
      ingressInfo: { streamKey: 'KEY3', url: 'rtmp://ingress.example/x' },
    })
    const stored = bodyToStore(raw, () => null)
    for (const secret of ['KEY1', 'KEY2', 'KEY3', 'JWT.TOKEN.SIG']) {
      expect(stored).not.toContain(secret)
    }
    const parsed = JSON.parse(stored)
    expect(parsed.egressInfo.roomComposite.streamOutputs[0].urls).toEqual([
      'rtmp://a.rtmp.youtube.com/live2/••••',
      'rtmps://x.example:443/app/••••',
    ])
    expect(parsed.egressInfo.web.url).toBe(
      'https://site.example/overlay?stream=1&token=••••&serverUrl=wss%3A%2F%2Flk',
    )
    expect(parsed.egressInfo.error).toBe('dial rtmp://a.rtmp.youtube.com/live2/••••: refused')
    expect(parsed.egressInfo.fileResults).toEqual([
      { filename: 'r.mp4', location: 's3://bucket/r.mp4' },
    ])
    expect(parsed.ingressInfo.streamKey).toBe('••••')
  })
})

describe('what the inbox columns and bodies keep of events no LiveKit server sends', () => {
  it('counts nesting outside strings only', () => {
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false)
    expect(nestsDeeperThan('{"a":[{"b":[[1]]}]}', 4)).toBe(true)
    expect(nestsDeeperThan(JSON.stringify({ s: '[[[[[[[[{{{{{{\\"[[[[' }), 2)).toBe(false)
  })

  it('stores a body nested too deep as the fields the SDK knows', () => {
    const raw = `{"id":"EV_1","x":${'['.repeat(1000)}${']'.repeat(1000)}}`
    expect(bodyToStore(raw, () => ({ id: 'EV_1' }))).toBe('{"id":"EV_1"}')
  })

  it('keeps ids short and NUL-free, the same value always the same column', () => {
    expect(columnText('EV_abc')).toBe('EV_abc')
    expect(columnText('EV_\u0000')).toBe('EV_\uFFFD')
    const long = 'r'.repeat(5000)
    expect(columnText(long)).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(columnText(long)).toBe(columnText(long))
  })
})
