"""The demo: `sikla demo` builds Kota Kupang across every app (each app's own `demo` module loads
its part). It sits at the top of the package because it is the one place that knows them all."""
