"""Every public name is exported: `__all__` lists exactly the public attributes."""

import biodeals
import biodeals.ingest
import biodeals.nlp


def test_exported_members_match_all():
    for module in (biodeals, biodeals.ingest, biodeals.nlp):
        public = {
            name
            for name, value in vars(module).items()
            if not name.startswith("_") and getattr(value, "__module__", "").startswith("biodeals")
        }
        missing = public - set(module.__all__)
        assert not missing, f"{module.__name__} does not export {sorted(missing)}"
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.__all__ names missing {name}"
