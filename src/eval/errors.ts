/** Bad input to a measurement: the message is one line meant for a person. */
export class MeasureError extends RangeError {
  override name = 'MeasureError';
}
