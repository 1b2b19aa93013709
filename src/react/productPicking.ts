'use client'
import { useCallback, useEffect, useState } from 'react'

import type { ProductCard } from '../shopping/productCard.js'
import type { PinnedCard, ShopState } from '../shopping/shopState.js'

/** What is up in a shop, the spotlight first, as both pickers list it. */
export const pinnedCards = (shop: null | ShopState | undefined): PinnedCard[] =>
  shop ? [...(shop.spotlight ? [shop.spotlight] : []), ...shop.shelf] : []

/**
 * The products matching what the host types, read again a moment after the typing stops so each
 * key does not become a query. `load` must keep its identity between renders (`useCallback`).
 */
export function useProductSearch(
  load: (query: string) => Promise<{ products: ProductCard[] }>,
  onError: (error: unknown) => void,
) {
  const [search, setSearch] = useState('')
  const [products, setProducts] = useState<null | ProductCard[]>(null)
  useEffect(() => {
    let current = true
    const timer = setTimeout(() => {
      const query = search.trim() ? `?search=${encodeURIComponent(search.trim())}` : ''
      load(query).then(
        (found) => current && setProducts(found.products),
        (error: unknown) => current && onError(error),
      )
    }, 250)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [load, onError, search])
  return { search, setSearch, products }
}

/**
 * Runs one pin or unpin at a time: `busy` while it runs, its refusal in words (`describe`) after,
 * then `after` (the panel reads the shop again).
 */
export function usePinAction(describe: (error: unknown) => string, after?: () => Promise<void>) {
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<null | string>(null)
  const act = useCallback(
    async (run: () => Promise<unknown>) => {
      setBusy(true)
      setProblem(null)
      try {
        await run()
      } catch (error) {
        setProblem(describe(error))
      } finally {
        setBusy(false)
        await after?.()
      }
    },
    [after, describe],
  )
  return { act, busy, problem, setProblem }
}
