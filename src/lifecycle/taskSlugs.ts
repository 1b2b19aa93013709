/** Slugs of the plugin's jobs. They end up in the jobs collection's schema, so they never change. */
export const OPEN_STREAM_TASK = 'livekitOpenStream'
export const CLOSE_STREAM_TASK = 'livekitCloseStream'
export const CANCEL_STREAM_TASK = 'livekitCancelStream'
export const RECONCILE_TASK = 'livekitReconcile'
export const APPLY_WEBHOOK_TASK = 'livekitApplyWebhook'
export const SETTLE_REFUNDS_TASK = 'livekitSettleRefunds'
export const PAY_HOSTS_TASK = 'livekitPayHosts'
export const SEND_EMAILS_TASK = 'livekitSendEmails'
