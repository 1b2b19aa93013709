'use client'
import { useState } from 'react'

export function LoginForm() {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  return (
    <form
      style={{ display: 'grid', gap: 8, maxWidth: 320 }}
      onSubmit={async (event) => {
        event.preventDefault()
        const response = await fetch('/api/users/login', {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        })
        if (!response.ok) return setError('Wrong email or password.')
        const next = new URLSearchParams(window.location.search).get('next')
        window.location.assign(next && next.startsWith('/') ? next : '/streams')
      }}
    >
      <label>
        Email{' '}
        <input
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoComplete="username"
          required
        />
      </label>
      <label>
        Password{' '}
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
        />
      </label>
      <button type="submit">Log in</button>
      {error ? <p role="alert">{error}</p> : null}
      <p>
        Demo logins are printed by <code>npm run dev</code> (password demo-password).
      </p>
    </form>
  )
}
