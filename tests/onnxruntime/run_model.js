// Runs an ONNX model with ONNX Runtime (onnxruntime-node) on one float32 input and writes every
// output as JSON: {"<name>": {"dims": [...], "data": [...]}}. Used by the ONNX export test.
//
//   node run_model.js MODULE_DIR MODEL.onnx INPUT.f32 N,C,H,W OUTPUT.json
//
// MODULE_DIR: the onnxruntime-node package folder (tests/onnxruntime/fetch.sh puts it under
// .cache/onnxruntime-node/node_modules/). INPUT.f32: raw little-endian float32, NCHW.
'use strict';
const fs = require('fs');

async function main() {
  const [moduleDir, modelPath, inputPath, dimsText, outputPath] = process.argv.slice(2);
  if (!outputPath) throw new Error('usage: run_model.js MODULE_DIR MODEL INPUT N,C,H,W OUTPUT');
  const ort = require(moduleDir);
  const bytes = fs.readFileSync(inputPath);
  const input = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const dims = dimsText.split(',').map(Number);
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
  const outputs = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) });
  const result = {};
  for (const name of session.outputNames)
    result[name] = { dims: outputs[name].dims, data: Array.from(outputs[name].data) };
  fs.writeFileSync(outputPath, JSON.stringify(result));
}

main().catch((e) => {
  console.error(`run_model.js: ${e.message}`);
  process.exit(1);
});
