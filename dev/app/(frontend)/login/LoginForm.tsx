'use client'
import { useState } from 'react'

export function LoginForm() {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<null | string>(null)
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        const response = await fetch('/api/users/login', {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        })
        if (!response.ok) {
          return setError('Wrong email or password.')
        }
        const next = new URLSearchParams(window.location.search).get('next')
        window.location.assign(next && next.startsWith('/') ? next : '/streams')
      }}
      style={{ display: 'grid', gap: 8, maxWidth: 320 }}
    >
      <label>
        Email{' '}
        <input
          autoComplete="username"
          onChange={(e) => setEmail(e.target.value)}
          required
          type="email"
          value={email}
        />
      </label>
      <label>
        Password{' '}
        <input
          autoComplete="current-password"
          onChange={(e) => setPassword(e.target.value)}
          required
          type="password"
          value={password}
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
