// Precompiled header of yolo_core: libtorch only, the one header that is both heavy and
// stable. Sources that do not include torch skip it (see yolo_torch_pch_only_where_needed).
#pragma once

#include <torch/torch.h>
