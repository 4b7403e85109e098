//! Writing a package zip reproducibly and reading one back the way a host's
//! validator does. `::zip` is the crate; this module is `package::zip`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;

/// How much of one entry is read back: enough to judge any rule; a zip bomb
/// stops here.
const READ_LIMIT: u64 = 16_000_000;

/// Writes `files` as a deflated zip with fixed timestamps (same input, same bytes).
pub fn write_zip(path: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    use ::zip::write::SimpleFileOptions;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let file =
        fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut zip = ::zip::ZipWriter::new(file);
    let options = SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated)
        .last_modified_time(::zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, data) in files {
        zip.start_file(name.as_str(), options)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        zip.write_all(data)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    zip.finish()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}

/// One entry of a zip as a validator sees it.
pub struct Entry {
    pub name: String,
    pub size: u64,
    pub is_dir: bool,
    pub is_symlink: bool,
    pub data: Vec<u8>,
}

pub fn read_zip(path: &Path) -> Result<Vec<Entry>, String> {
    let file = fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut archive = ::zip::ZipArchive::new(file)
        .map_err(|e| format!("{}: not a readable zip: {e}", path.display()))?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive
            .by_index(i)
            .map_err(|e| format!("{}: entry {i}: {e}", path.display()))?;
        let mut data = Vec::new();
        let read = f.by_ref().take(READ_LIMIT).read_to_end(&mut data);
        read.map_err(|e| format!("{}: {}: {e}", path.display(), f.name()))?;
        entries.push(Entry {
            name: f.name().to_owned(),
            size: f.size(),
            is_dir: f.is_dir(),
            is_symlink: f.is_symlink(),
            data,
        });
    }
    Ok(entries)
}
