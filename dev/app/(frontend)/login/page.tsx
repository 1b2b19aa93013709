import { LoginForm } from './LoginForm.js'

export const metadata = { title: 'Log in' }

/** Demo login: Payload's own REST login sets the cookie the kit's requests carry. */
export default function LoginPage() {
  return (
    <main>
      <h1>Log in</h1>
      <LoginForm />
    </main>
  )
}
