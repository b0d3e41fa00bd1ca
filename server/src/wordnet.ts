// Transitional (#14): client/src/panels still import this from here until they talk to the server; delete this file then.
export { loadWordNet } from './host/wordnet';
