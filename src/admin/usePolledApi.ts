'use client'
import { useEffect, useState } from 'react'

import { adminErrorText } from '../i18n/translations.js'
import { useAdminApi } from './adminApi.js'
import { usePluginT } from './usePluginT.js'

/**
 * A GET of the plugin's API read once, then every `everyMs` while `live` (afterwards only a late
 * webhook changes what such a figure says): its latest answer, or the refusal in the admin's
 * language.
 */
export function usePolledApi<T>(
  path: string,
  live: boolean,
  everyMs: number,
): { data: null | T; problem: null | string } {
  const api = useAdminApi()
  const t = usePluginT()
  const [data, setData] = useState<null | T>(null)
  const [problem, setProblem] = useState<null | string>(null)
  useEffect(() => {
    const load = () =>
      api<T>('GET', path).then(
        (found) => {
          setData(found)
          setProblem(null)
        },
        (error: unknown) => setProblem(adminErrorText(t, error)),
      )
    void load()
    const timer = live ? setInterval(() => void load(), everyMs) : undefined
    return () => clearInterval(timer)
  }, [api, path, live, everyMs, t])
  return { data, problem }
}
