// Debian's zlib (zlib1g-dev): the inflater behind gzip IDX files and compressed NumPy archives.
#include <zlib.h>
