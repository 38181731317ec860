// C API over DCMTK and OpenJPEG. Filled in by the DICOM ingest work.
#ifndef DICOM_BRIDGE_H
#define DICOM_BRIDGE_H
#ifdef __cplusplus
extern "C" {
#endif
int ldk_dicom_bridge_version(void);
#ifdef __cplusplus
}
#endif
#endif
