'use client'
import { useConfig } from '@payloadcms/ui'
import { useCallback } from 'react'

import { request } from '../react/api.js'

/** `fetch` against the site's API route with the admin's cookie; errors carry the API's message. */
export function useAdminApi() {
  const { config } = useConfig()
  const base = `${config.serverURL ?? ''}${config.routes?.api ?? '/api'}`
  return useCallback(
    <T>(method: string, path: string, body?: unknown): Promise<T> =>
      request<T>(base, method, path, body),
    [base],
  )
}
