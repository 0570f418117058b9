import assert from 'node:assert/strict';
import { placeHorizontalLineLabel, placeVerticalLineLabels } from '../../../webview/src/charts/lineLabels';

describe('labels of vertical reference lines', function () {
  const area = { left: 40, right: 540 };

  it('reads towards the middle of the plot when nothing is in the way', function () {
    // 100 px: left half, text to its right from 104; 450 px: right half, text ends 4 px before it.
    assert.deepEqual(placeVerticalLineLabels([{ pixel: 100, textWidth: 80 }, { pixel: 450, textWidth: 60 }], area), [
      { left: 104, side: 'right' },
      { left: 386, side: 'left' },
    ]);
  });

  it('moves a label to the other side of its line when another line runs through the text', function () {
    // Capacity at 480 px, usable (90%) at 432 px: "Capacity …" (110 px) leftwards would span
    // 366–476 and cross 432; rightwards it would leave the plot (484–594 > 540), so usable's label
    // moves instead: leftwards it spans 318–428, clear of 480.
    const places = placeVerticalLineLabels([{ pixel: 480, textWidth: 50 }, { pixel: 432, textWidth: 110 }], area);
    assert.deepEqual(places, [
      { left: 484, side: 'right' },
      { left: 318, side: 'left' },
    ]);
  });

  it('keeps the usual side when neither side is clear', function () {
    // Three lines 10 px apart in the right half: the outer two have a clear side (236–296 left of
    // the first, 324–384 right of the last); the middle one crosses a neighbour either way and
    // keeps the right half's usual side.
    const places = placeVerticalLineLabels([{ pixel: 300, textWidth: 60 }, { pixel: 310, textWidth: 60 }, { pixel: 320, textWidth: 60 }], area);
    assert.deepEqual(places, [
      { left: 236, side: 'left' },
      { left: 246, side: 'left' },
      { left: 324, side: 'right' },
    ]);
  });

  it("puts a target label at the left end of its line when the current point's line runs through it at the right", function () {
    // "TPOT target 50.0 ms" (130 px): at the right end it spans 406–536; a line at 500 px crosses
    // it there and not at 44–174.
    assert.equal(placeHorizontalLineLabel(130, [500], area), 44);
    assert.equal(placeHorizontalLineLabel(130, [100], area), 406);
    // Crossed at both ends: the usual right end.
    assert.equal(placeHorizontalLineLabel(130, [100, 500], area), 406);
  });
});
