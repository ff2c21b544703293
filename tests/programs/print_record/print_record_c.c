/* Prints this program's record through the C API, in print_record's format. */
#include <stdio.h>

#include "buildinfo/buildinfo.h"

int main(void) {
  size_t i;
  printf("status=%s\n", buildinfo_status_text(buildinfo_status()));
  for (i = 0; i < buildinfo_field_count(); ++i) printf("%s=%s\n", buildinfo_field_key(i), buildinfo_field_value(i));
  return buildinfo_status() == BUILDINFO_OK ? 0 : 3;
}
