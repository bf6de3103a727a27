// zod/mini (the schemas a function loads: a third of classic zod's size in a bundle) carries no
// messages of its own; this gives it zod's English ones, the same that classic zod sets, so that
// an administrator's data-file mistake reads "Too small: expected number to be >=1", not "Invalid
// input". Import it for its effect from each module that defines zod/mini schemas.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
