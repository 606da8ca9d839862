/** Stable codes for broken NLU data files; start-up stops with one of these. */
export type NluDataErrorCode = 'NLU_FILE_MISSING' | 'NLU_FILE_INVALID_JSON' | 'NLU_FILE_INVALID';

/** A data file of the matcher (lexicon, character map, utterances) is missing or malformed. */
export class NluDataError extends Error {
  constructor(
    readonly code: NluDataErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NluDataError';
  }
}
