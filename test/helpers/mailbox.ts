import type { AddressInfo } from 'node:net'
import type { EmailAdapter } from 'payload'

import { simpleParser } from 'mailparser'
import nodemailer from 'nodemailer'
import { SMTPServer } from 'smtp-server'

/** A message as the SMTP server received it. */
export interface ReceivedMail {
  to: string
  from: string
  subject: string
  text: string
  html: string
}

/** A real SMTP server on loopback that keeps every message it accepts, parsed. */
export async function startMailbox(): Promise<{
  port: number
  messages: ReceivedMail[]
  /** Refuses every message (a mail server outage) while true. */
  refusing: { value: boolean }
  close: () => Promise<void>
}> {
  const messages: ReceivedMail[] = []
  const refusing = { value: false }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (refusing.value) {
        stream.resume()
        stream.on('end', () =>
          callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 451 })),
        )
        return
      }
      simpleParser(stream)
        .then((mail) => {
          const address = (value: unknown) =>
            (Array.isArray(value) ? value : [value])
              .map((v) => (v as { text?: string } | undefined)?.text ?? '')
              .join(', ')
          messages.push({
            to: address(mail.to),
            from: address(mail.from),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          })
          callback()
        })
        .catch((error: Error) => callback(error))
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    port,
    messages,
    refusing,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/**
 * Payload's email adapter over SMTP (what `@payloadcms/email-nodemailer` does in a site), sending
 * to the test's mailbox.
 */
export const smtpEmailAdapter =
  (port: number): EmailAdapter =>
  () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
    })
    return {
      name: 'test-smtp',
      defaultFromAddress: 'events@site.test',
      defaultFromName: 'Live events',
      sendEmail: async (message) =>
        transport.sendMail({ from: 'Live events <events@site.test>', ...message }),
    }
  }
