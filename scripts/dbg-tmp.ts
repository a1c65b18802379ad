import { parseCaption, parseDialogue } from '../src/images/lettering/dialogue.ts';
import { layoutWords } from '../src/images/lettering/letter.ts';
import { findSubjects } from '../src/images/lettering/subjects.ts';
import { scene } from '../tests/unit/images/scenes.ts';
const s = await scene('two', 1216, 832);
let t = performance.now();
const map = await findSubjects(s.image, { width: 1216, height: 832 });
console.log('map', performance.now() - t);
const words = { caption: parseCaption('Later that night, on the roof.')!, balloons: parseDialogue('Mia: Did you hear that? | Rex: Hear what? It was only the wind.') };
for (let i = 0; i < 10; i++) { t = performance.now(); layoutWords(words, { width: 1216, height: 832 }, map); console.log('layout', (performance.now() - t).toFixed(1)); }
