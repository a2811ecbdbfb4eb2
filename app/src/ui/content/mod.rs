//! Content components (GOV.UK patterns): summary list, task list, tag, notification banner,
//! pagination, a table with sortable headers, a refused import's report, and a line chart.

mod banner;
mod chart;
mod imports;
mod pagination;
mod summary_list;
mod table;
mod tag;
mod task_list;

pub use banner::{BannerKind, NotificationBanner};
pub use chart::{render_svg, Chart, ChartSeries, LineChart};
pub use imports::{RefusedImport, UploadCsvForm, UploadedFileSummary};
pub use pagination::{page_href, page_items, PageItem, Pagination};
pub use summary_list::{SummaryList, SummaryRow};
pub use table::{sort_href, Column, Sort, SortDirection, SortableTable};
pub use tag::Tag;
pub use task_list::{Task, TaskList, TaskStatus};
