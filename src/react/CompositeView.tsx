'use client'
import type React from 'react'

import { LiveKitRoom, RoomAudioRenderer } from '@livekit/components-react'
import { useEffect, useRef, useState } from 'react'

import { type KitLanguageProps, LivekitKitProvider, useKitText } from './LivekitKitProvider.js'
import { SpotlightCard } from './SpotlightCard.js'
import { Stage, useStageTracks } from './stage.js'
import { KitStyles } from './styles.js'

/** Props of {@link CompositeView}. */
export interface CompositeViewProps extends KitLanguageProps {
  /** Token and server; default: the `token` and `serverUrl` query parameters LiveKit's web egress is given. */
  token?: string
  serverUrl?: string
  /** The site's own content over the picture (title, logo, lower third). */
  children?: React.ReactNode
}

/**
 * The overlay page LiveKit's web egress records (the `web` egress kind): the host's screen share full
 * size, its camera in a corner, and an overlay slot. It tells egress when to start (the first
 * picture is on screen) and when to stop (the room is gone), by the console lines egress watches.
 */
export function CompositeView(props: CompositeViewProps) {
  const { t } = useKitText(props)
  const [params, setParams] = useState<{ token?: string; serverUrl?: string }>({
    token: props.token,
    serverUrl: props.serverUrl,
  })
  useEffect(() => {
    if (props.token && props.serverUrl) {
      return
    }
    const query = new URLSearchParams(window.location.search)
    setParams({
      token: props.token ?? query.get('token') ?? undefined,
      serverUrl: props.serverUrl ?? query.get('serverUrl') ?? query.get('url') ?? undefined,
    })
  }, [props.token, props.serverUrl])

  if (!params.token || !params.serverUrl) {
    return (
      <div className="plk plk-composite">
        <KitStyles />
        <div className="plk-notice">{t('waitingForRecorderToken')}</div>
      </div>
    )
  }
  return (
    <div className="plk plk-composite">
      <KitStyles />
      <LiveKitRoom
        audio={false}
        connect
        onDisconnected={() => console.log('END_RECORDING')}
        options={{ adaptiveStream: false, dynacast: false }}
        serverUrl={params.serverUrl}
        token={params.token}
        video={false}
      >
        <LivekitKitProvider locale={props.locale} messages={props.messages}>
          <CompositeStage>{props.children}</CompositeStage>
        </LivekitKitProvider>
        <RoomAudioRenderer />
      </LiveKitRoom>
    </div>
  )
}

function CompositeStage({ children }: { children?: React.ReactNode }) {
  const { main } = useStageTracks()
  const { t } = useKitText()
  const started = useRef(false)
  useEffect(() => {
    if (main && !started.current) {
      started.current = true
      // LiveKit's web egress (awaitStartSignal) starts recording on this console line.
      console.log('START_RECORDING')
    }
  }, [main])
  // The spotlight card is part of the picture, so recordings and simulcasts show it too.
  return (
    <Stage
      empty={<p>{t('hostNotOnCamera')}</p>}
      label={t('composite')}
      overlay={
        <>
          {children}
          <SpotlightCard liveStreamId="" readOnly />
        </>
      }
    />
  )
}
