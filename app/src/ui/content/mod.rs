//! Content components (GOV.UK patterns): summary list, task list, tag, notification banner,
//! pagination and a table with sortable headers.

mod banner;
mod pagination;
mod summary_list;
mod table;
mod tag;
mod task_list;

pub use banner::{BannerKind, NotificationBanner};
pub use pagination::{page_href, page_items, PageItem, Pagination};
pub use summary_list::{SummaryList, SummaryRow};
pub use table::{sort_href, Column, Sort, SortDirection, SortableTable};
pub use tag::Tag;
pub use task_list::{Task, TaskList, TaskStatus};
