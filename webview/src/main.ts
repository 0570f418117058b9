/** Entry of the roofline panel bundle (dist/webview/webview.js and webview.css). */
import './styles.css';
import './plan.css';
import { browserTimers, Panel } from './app';
import { panelHost } from './vscodeApi';

const root = document.getElementById('root');
if (root) new Panel(root, panelHost(), browserTimers()).start();
