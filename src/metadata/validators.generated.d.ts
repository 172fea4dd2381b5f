// Types for the validators that scripts/generate-validators.mjs compiles from ./schemas.
interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
}
export const validateCreateInstance: GeneratedValidator;
export const validateCreateRepo: GeneratedValidator;
export const validateInstanceInfo: GeneratedValidator;
export const validateRepoInfo: GeneratedValidator;
export const validateReposInfo: GeneratedValidator;
export const validateServerInfo: GeneratedValidator;
export const validateServerTypes: GeneratedValidator;
export const validateVoxelsMetadata: GeneratedValidator;
