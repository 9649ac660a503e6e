/**
 * The printing layer of `k8sim get`, `k8sim describe` and `k8sim get events`: pure functions of objects and a
 * time that print what kubectl v1.32 prints.
 */
export { printObjects, kindPrefix, noResourcesFound, type OutputFormat, type PrintOptions, type Printed } from "./print-objects.js";
export { printEvents, eventRow } from "./print-events.js";
export { correlateEvents, eventName, type CoreEvent } from "./correlate-events.js";
export { describeObject, type DescribeContext } from "./describe.js";
export { matchFieldSelector, supportedFields, type FieldSelectorResult } from "./field-selector.js";
export { humanDuration } from "./human-duration.js";
