import { MoneyCell as MoneyCell_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { MoneyField as MoneyField_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { AppointmentLiveLink as AppointmentLiveLink_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { HostControls as HostControls_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { StreamStateCell as StreamStateCell_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { RecordingPlayer as RecordingPlayer_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { DurationCell as DurationCell_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { BytesCell as BytesCell_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { LedgerNavLink as LedgerNavLink_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { LiveNowPanel as LiveNowPanel_e79fbab9e8d974545541d5a754e39ac2 } from 'payload-plugin-livekit/rsc'
import { LedgerView as LedgerView_e79fbab9e8d974545541d5a754e39ac2 } from 'payload-plugin-livekit/rsc'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "payload-plugin-livekit/client#MoneyCell": MoneyCell_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "payload-plugin-livekit/client#MoneyField": MoneyField_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "payload-plugin-livekit/client#AppointmentLiveLink": AppointmentLiveLink_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "payload-plugin-livekit/client#HostControls": HostControls_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "payload-plugin-livekit/client#StreamStateCell": StreamStateCell_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "payload-plugin-livekit/client#RecordingPlayer": RecordingPlayer_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "payload-plugin-livekit/client#DurationCell": DurationCell_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "payload-plugin-livekit/client#BytesCell": BytesCell_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "payload-plugin-livekit/client#LedgerNavLink": LedgerNavLink_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "payload-plugin-livekit/rsc#LiveNowPanel": LiveNowPanel_e79fbab9e8d974545541d5a754e39ac2,
  "payload-plugin-livekit/rsc#LedgerView": LedgerView_e79fbab9e8d974545541d5a754e39ac2,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
