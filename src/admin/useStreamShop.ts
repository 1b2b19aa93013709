'use client'
import { useCallback, useEffect, useState } from 'react'

import type { DocId } from '../core/ids.js'
import type { ShopView } from '../shopping/operations/shopView.js'

import { adminErrorText } from '../i18n/translations.js'
import { useAdminApi } from './adminApi.js'
import { usePluginT } from './usePluginT.js'

/** A stream's shop as the control room reads it, and whether the site sells products at all. */
export interface StreamShop {
  view: null | ShopView
  /** The site has no live shopping: nothing of it shows. */
  off: boolean
  problem: null | string
  refresh: () => Promise<void>
}

/**
 * The shop, moments and figures of a stream (`GET /:id/shop`), read again every few seconds while
 * the stream is live so clicks and sales show as they come; once otherwise, since nothing changes.
 */
export function useStreamShop(id: DocId | null | undefined, live: boolean): StreamShop {
  const api = useAdminApi()
  const t = usePluginT()
  const [view, setView] = useState<null | ShopView>(null)
  const [off, setOff] = useState(false)
  const [problem, setProblem] = useState<null | string>(null)

  const refresh = useCallback(async () => {
    if (id === null || id === undefined) {
      return
    }
    try {
      setView(await api<ShopView>('GET', `/live-streams/${id}/shop`))
      setProblem(null)
    } catch (error) {
      if ((error as { code?: unknown }).code === 'shopping_off') {
        setOff(true)
      } else {
        setProblem(adminErrorText(t, error))
      }
    }
  }, [api, id, t])

  useEffect(() => {
    if (off) {
      return
    }
    void refresh()
    if (!live) {
      return
    }
    const timer = setInterval(() => void refresh(), 3000)
    return () => clearInterval(timer)
  }, [refresh, live, off])

  return { view, off, problem, refresh }
}
