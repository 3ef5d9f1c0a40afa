export { Fleet, type FleetOptions, type FleetStats } from './fleet'
export {
  DEFAULT_BEHAVIOUR,
  SimulatedDevice,
  type DeviceActivity,
  type DeviceBehaviour,
  type DeviceState,
  type DeviceStats,
  type SentEvent,
  type SimulatedDeviceOptions
} from './simulated-device'
export {
  DEFAULT_OUI,
  deviceIdFor,
  deviceNameFor,
  identityFor,
  ipAddressFor,
  type DeviceIdentity
} from './identity'
export { seededRandom, hashString, type Random } from './random'
export { credentialHeaders, postJson, type PostOutcome } from './http'
