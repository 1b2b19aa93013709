# Development and test credentials for the local services. Never use these anywhere real.
export LIVEKIT_URL="${LIVEKIT_URL:-ws://127.0.0.1:7880}"
export LIVEKIT_API_KEY="${LIVEKIT_API_KEY:-devkey}"
export LIVEKIT_API_SECRET="${LIVEKIT_API_SECRET:-devsecret-payload-plugin-livekit-0001}"
export STRIPE_SECRET_KEY="${STRIPE_SECRET_KEY:-sk_test_123}"
export STRIPE_WEBHOOK_SECRET="${STRIPE_WEBHOOK_SECRET:-whsec_dev_payload_plugin_livekit}"
export STRIPE_API_BASE="${STRIPE_API_BASE:-http://127.0.0.1:12111}"
export PAYLOAD_SECRET="${PAYLOAD_SECRET:-dev-only-payload-secret-change-me}"
export PAYLOAD_CONFIG_PATH="${PAYLOAD_CONFIG_PATH:-dev/payload.config.ts}"
export NEXT_TELEMETRY_DISABLED=1
export LIVEKIT_PLUGIN_ENCRYPTION_KEY="${LIVEKIT_PLUGIN_ENCRYPTION_KEY:-ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=}"
