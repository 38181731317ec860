#include "dicom_bridge.h"
extern "C" int ldk_dicom_bridge_version(void) { return 1; }
