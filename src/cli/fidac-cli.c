/* placeholder: replaced by the CLI implementation */
#include "config.h"
#include "fidac-dicom.h"
int main (int argc, char **argv) { return 1; }
