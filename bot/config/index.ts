/** Config module: the config service (layers, validation, guardrails, hot apply, journal) and its helpers. */
export { ConfigService, type ChangeOptions, type ConfigServiceOptions } from './config-service';
export { openConfigService, type OpenConfigOptions } from './open';
export { ConfigError, isConfigError, formatIssues, type ConfigErrorKind } from './errors';
export { configTarget, configFieldGroups, applyToTargets, type ConfigTarget, type PathMatcher } from './targets';
export { checkGuardrails, isLoopbackHost, type GuardrailContext, type GuardedConfig } from './guardrails';
export { validateConfig, type ValidationResult } from './validate';
export { diffConfigs, pathUnder, seriesKey } from './diff';
export { projectHot } from './hot-split';
export { composeLayers, sourceOf, type ConfigLayers, type ProfileChoice } from './layers';
export { envLayer, CONFIG_ENV_VARS, type EnvLayer } from './env-layer';
export { configFilePath, readConfigFile, writeConfigFile, type ConfigFileRead } from './config-file';
export { getProfile, listProfiles, isProfileName, type ConfigProfile } from './profiles';
export { describeFields, configJsonSchemas, getAt } from './describe';
export { hashConfig, stableStringify } from './config-hash';
export { mergePatch, checkPatch, createMergePatch, isPlainObject, jsonEqual, type JsonObject } from './merge-patch';
export { resolvePath, patchForPath, type Segments } from './path-patch';
